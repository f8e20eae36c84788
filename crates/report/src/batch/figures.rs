//! A jurisdiction's headline figures, flat and typed (GeoJSON properties,
//! the Jurisdictions sheet), and the one a batch map shows.

use super::*;

/// The figure a batch map shows for each jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapValue {
    /// Annual cost to close the gap per resident (central estimate).
    GapPerResident,
    /// Annual cost to close the gap (central estimate).
    Gap,
    /// Share of the need's cost already met today.
    Coverage,
}

impl MapValue {
    /// The `--map-value` names.
    pub const NAMES: [&'static str; 3] = ["gap_per_resident", "gap", "coverage"];

    /// Parses a `--map-value` name.
    pub fn parse(s: &str) -> Option<MapValue> {
        match s {
            "gap_per_resident" => Some(MapValue::GapPerResident),
            "gap" => Some(MapValue::Gap),
            "coverage" => Some(MapValue::Coverage),
            _ => None,
        }
    }

    /// The figure in words, for titles and legends.
    pub fn title(self) -> &'static str {
        match self {
            MapValue::GapPerResident => "Annual cost to close the safety gap per resident",
            MapValue::Gap => "Annual cost to close the safety gap",
            MapValue::Coverage => "Share of the need met today",
        }
    }

    /// How legend and tooltip values are written.
    pub fn format(self) -> ValueFormat {
        match self {
            MapValue::GapPerResident | MapValue::Gap => ValueFormat::Money,
            MapValue::Coverage => ValueFormat::Percent,
        }
    }

    /// The figure for one plan (central estimate); `None` when it is not
    /// defined (coverage of a zero need) or not a finite number.
    pub fn of(self, plan: &Plan) -> Option<f64> {
        let t = &plan.totals;
        match self {
            MapValue::GapPerResident => Some(t.annual_cost_per_resident.mid),
            MapValue::Gap => Some(t.annual_cost.mid),
            MapValue::Coverage => t.coverage,
        }
        .filter(|v| v.is_finite())
    }
}

/// One jurisdiction's headline figures, flat and typed: the properties of
/// a GeoJSON feature and the Jurisdictions sheet's columns, as
/// `snake_case` names (documented in docs/BATCH.md).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Figures {
    /// GEOID.
    pub geoid: String,
    /// Name alone ("Alameda County").
    pub name: String,
    /// state, county or place.
    pub kind: String,
    /// USPS abbreviation of its state.
    pub state: Option<String>,
    /// For places: the county containing the place's point.
    pub county_geoid: Option<String>,
    /// Resident population the plan uses.
    pub population: Option<f64>,
    /// Annual cost to close the gap, low.
    pub annual_cost_low: f64,
    /// Annual cost to close the gap, central estimate.
    pub annual_cost_mid: f64,
    /// Annual cost to close the gap, high.
    pub annual_cost_high: f64,
    /// Annual gap cost per resident (central).
    pub annual_cost_per_resident_mid: f64,
    /// Share of the need met today (none when the need costs nothing).
    pub coverage: Option<f64>,
    /// One-off start-up cost (central).
    pub startup_cost_mid: f64,
    /// Annual gap cost of victim services (central).
    pub victim_services_annual_cost_mid: Option<f64>,
    /// Annual gap cost of violence prevention (central).
    pub violence_prevention_annual_cost_mid: Option<f64>,
    /// Annual gap cost of behavioral health (central).
    pub behavioral_health_annual_cost_mid: Option<f64>,
    /// Annual gap cost of reentry (central).
    pub reentry_annual_cost_mid: Option<f64>,
    /// Data-quality grade: 1 fine, 2 use with care, 3 do not act on alone.
    pub quality_grade: u8,
    /// The grade in words.
    pub quality: String,
    /// Program lines that rest on an `assumption`-graded figure.
    pub programs_with_assumptions: u32,
    /// Dollar year of the costs (earliest–latest).
    pub cost_year_first: u16,
    /// Latest dollar year of the costs.
    pub cost_year_last: u16,
    /// Catalog version the plan was computed with.
    pub catalog_version: String,
}

impl Figures {
    /// The figures of one plan; `state` is its state's abbreviation and
    /// `county_geoid` a place's county, when known.
    pub fn of(plan: &Plan, state: Option<&str>, county_geoid: Option<&str>) -> Figures {
        let j = &plan.jurisdiction;
        let t = &plan.totals;
        let area = |g: GapArea| plan.gap_areas.iter().find(|a| a.gap_area == g).map(|a| a.totals.annual_cost.mid);
        Figures {
            geoid: j.id.clone(),
            name: j.name.clone(),
            kind: j.kind.clone(),
            state: state.map(str::to_string),
            county_geoid: county_geoid.map(str::to_string),
            population: plan.drivers.iter().find(|d| d.id == "population").map(|d| d.value.mid).filter(|v| v.is_finite()),
            annual_cost_low: t.annual_cost.low,
            annual_cost_mid: t.annual_cost.mid,
            annual_cost_high: t.annual_cost.high,
            annual_cost_per_resident_mid: t.annual_cost_per_resident.mid,
            coverage: t.coverage.filter(|c| c.is_finite()),
            startup_cost_mid: t.startup_cost.mid,
            victim_services_annual_cost_mid: area(GapArea::VictimServices),
            violence_prevention_annual_cost_mid: area(GapArea::ViolencePrevention),
            behavioral_health_annual_cost_mid: area(GapArea::BehavioralHealth),
            reentry_annual_cost_mid: area(GapArea::Reentry),
            quality_grade: plan.quality.grade,
            quality: plan.quality.label.clone(),
            programs_with_assumptions: plan.programs.iter().filter(|p| !p.assumptions.is_empty()).count() as u32,
            cost_year_first: plan.cost_years[0],
            cost_year_last: plan.cost_years[1],
            catalog_version: plan.catalog_version.clone(),
        }
    }
}
