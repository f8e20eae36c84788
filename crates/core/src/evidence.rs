//! Evidence grades: how much weight a number can bear.

use serde::{Deserialize, Serialize};

/// How a catalog figure is known. Ordered from strongest to weakest so the
/// weakest grade among a program's inputs can be found with `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Stated verbatim in the Scaling Safety report's announcement.
    Report,
    /// A published standard or study figure for the program.
    Published,
    /// Computed by us from a published worked example (arithmetic shown).
    Derived,
    /// A placeholder with no published figure; must be flagged wherever used.
    Assumption,
}

impl Evidence {
    /// All grades, strongest first.
    pub const ALL: [Evidence; 4] = [Evidence::Report, Evidence::Published, Evidence::Derived, Evidence::Assumption];

    /// The grade as written in catalogs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Report => "report",
            Evidence::Published => "published",
            Evidence::Derived => "derived",
            Evidence::Assumption => "assumption",
        }
    }

    /// Parses a grade as written in a catalog.
    pub fn parse(s: &str) -> Option<Evidence> {
        Evidence::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The four safety gaps of the Scaling Safety report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapArea {
    /// Support for crime victims: trauma recovery, legal aid, shelter.
    VictimServices,
    /// Community-based violence prevention and intervention.
    ViolencePrevention,
    /// Mental health crisis care and substance use treatment.
    BehavioralHealth,
    /// Pathways to stability for people leaving prison and jail.
    Reentry,
}

impl GapArea {
    /// All gap areas in the report's order.
    pub const ALL: [GapArea; 4] = [GapArea::VictimServices, GapArea::ViolencePrevention, GapArea::BehavioralHealth, GapArea::Reentry];

    /// The identifier used in catalogs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            GapArea::VictimServices => "victim_services",
            GapArea::ViolencePrevention => "violence_prevention",
            GapArea::BehavioralHealth => "behavioral_health",
            GapArea::Reentry => "reentry",
        }
    }

    /// A heading for people.
    pub fn title(self) -> &'static str {
        match self {
            GapArea::VictimServices => "Victim services",
            GapArea::ViolencePrevention => "Violence prevention",
            GapArea::BehavioralHealth => "Behavioral health",
            GapArea::Reentry => "Reentry",
        }
    }

    /// Parses an identifier as written in a catalog.
    pub fn parse(s: &str) -> Option<GapArea> {
        GapArea::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

impl std::fmt::Display for GapArea {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
