//! Name normalization for lookups: case, accents, punctuation and the usual
//! abbreviations ("St." = "Saint") do not matter when matching names.
//!
//! `build.rs` includes this file too (`#[path]`), to write the name indexes
//! with the same normalization the lookups use: keep it free of other
//! modules and crates.

/// Normalizes a name for matching: lower case, accents folded to ASCII,
/// apostrophes and periods removed, any other punctuation treated as a space,
/// runs of spaces collapsed, and the abbreviations `st`, `ste`, `mt`, `ft`
/// expanded to `saint`, `sainte`, `mount`, `fort`.
///
/// `"St. Louis"`, `"Saint  Louis"` and `"saint-louis"` all give `"saint louis"`;
/// `"Doña Ana County"` gives `"dona ana county"`; `"‘Ewa Beach"` gives
/// `"ewa beach"`.
pub(crate) fn normalize(s: &str) -> String {
    let mut flat = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        if is_dropped(ch) {
            continue;
        }
        for lc in ch.to_lowercase() {
            let mut buf = [0u8; 4];
            let text: &str = match fold(lc) {
                Some(p) => p,
                None if lc.is_alphanumeric() => lc.encode_utf8(&mut buf),
                None => {
                    space = true;
                    continue;
                }
            };
            if space && !flat.is_empty() {
                flat.push(' ');
            }
            space = false;
            flat.push_str(text);
        }
    }
    if !flat.split(' ').any(|t| matches!(t, "st" | "ste" | "mt" | "ft")) {
        return flat;
    }
    flat.split(' ')
        .map(|t| match t {
            "st" => "saint",
            "ste" => "sainte",
            "mt" => "mount",
            "ft" => "fort",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Characters removed without leaving a space: apostrophes, the Hawaiian
/// ʻokina, periods ("D.C." = "DC", "Coeur d'Alene" = "Coeur dAlene") and
/// combining accents.
fn is_dropped(ch: char) -> bool {
    matches!(
        ch,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BB}' | '\u{02BC}' | '`' | '\u{B4}' | '.'
            // combining accents, for names typed in decomposed form
            | '\u{300}'..='\u{36F}'
    )
}

/// ASCII folding of the accented Latin letters found in U.S. place names
/// (input is already lower case).
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// Suffixes of Census county names, longest first; a county is also found
/// by its name without them ("Alameda" for "Alameda County").
#[allow(dead_code)] // build.rs writes the short names
const COUNTY_SUFFIXES: &[&str] =
    &[" city and borough", " planning region", " census area", " municipality", " borough", " county", " parish", " city"];

/// The short form of a normalized county name ("alameda county" → "alameda"),
/// if it has one of the Census suffixes.
#[allow(dead_code)] // build.rs writes the short names
pub(crate) fn county_alias(key: &str) -> Option<String> {
    COUNTY_SUFFIXES.iter().find_map(|suf| key.strip_suffix(suf).filter(|rest| !rest.is_empty()).map(str::to_owned))
}

/// The short form of a normalized place name ending in "city"
/// ("new york city" → "new york").
#[allow(dead_code)] // build.rs writes the short names
pub(crate) fn place_alias(key: &str) -> Option<String> {
    key.strip_suffix(" city").filter(|rest| !rest.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_punctuation_and_abbreviations() {
        assert_eq!(normalize("St. Louis"), "saint louis");
        assert_eq!(normalize("  Saint   Louis "), "saint louis");
        assert_eq!(normalize("saint-louis"), "saint louis");
        assert_eq!(normalize("Ste. Genevieve County"), "sainte genevieve county");
        assert_eq!(normalize("Mt. Vernon"), "mount vernon");
        assert_eq!(normalize("Ft Myers"), "fort myers");
        assert_eq!(normalize("D.C."), "dc");
        assert_eq!(normalize("Winston-Salem"), "winston salem");
        assert_eq!(normalize("Coeur d'Alene"), "coeur dalene");
        assert_eq!(normalize("Stockton"), "stockton");
    }

    #[test]
    fn folds_accents_and_okina() {
        assert_eq!(normalize("Doña Ana County"), "dona ana county");
        assert_eq!(normalize("Cañon City"), "canon city");
        assert_eq!(normalize("‘Ewa Beach"), "ewa beach");
        assert_eq!(normalize("Hawaiʻi Kai"), "hawaii kai");
        assert_eq!(normalize("Kīlauea"), "kilauea");
    }

    #[test]
    fn aliases() {
        assert_eq!(county_alias("alameda county").as_deref(), Some("alameda"));
        assert_eq!(county_alias("juneau city and borough").as_deref(), Some("juneau"));
        assert_eq!(county_alias("baltimore city").as_deref(), Some("baltimore"));
        assert_eq!(county_alias("kusilvak census area").as_deref(), Some("kusilvak"));
        assert_eq!(county_alias("capitol planning region").as_deref(), Some("capitol"));
        assert_eq!(county_alias("district of columbia"), None);
        assert_eq!(place_alias("new york city").as_deref(), Some("new york"));
        assert_eq!(place_alias("city"), None);
    }
}
