//! Colours: the role palette (Okabe & Ito).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Rgb(pub(super) u8, pub(super) u8, pub(super) u8);

impl Rgb {
    pub(super) fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    pub(super) fn parse(hex: &str) -> Rgb {
        let part = |i: usize| hex.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()).unwrap_or(0);
        Rgb(part(1), part(3), part(5))
    }

    /// `self` moved a fraction `t` of the way to `other`.
    pub(super) fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

pub(super) const WHITE: Rgb = Rgb(255, 255, 255);
pub(super) const BLACK: Rgb = Rgb(0, 0, 0);
/// Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision
/// deficiencies. Blue, bluish green and vermillion for the three roles of the model ...
pub(super) const FOUNDATION: Rgb = Rgb(0, 114, 178);
pub(super) const CENTRAL: Rgb = Rgb(0, 158, 115);
pub(super) const OUTCOME: Rgb = Rgb(213, 94, 0);
/// ... and the rest of the palette, in order, for any other role words.
pub(super) const OTHER_ROLES: [Rgb; 4] = [Rgb(230, 159, 0), Rgb(204, 121, 167), Rgb(86, 180, 233), Rgb(240, 228, 66)];
pub(super) const NO_ROLE: Rgb = Rgb(128, 128, 128);
pub(super) const INK: &str = "#1a1a1a";

/// The three roles of the model come first in the legend, in this order.
pub(super) const MODEL_ROLES: [&str; 3] = ["foundation", "central", "outcome"];

/// The colour of `role`; `others` are the role words outside the model, sorted.
pub(super) fn role_colour(role: Option<&str>, others: &[String]) -> Rgb {
    match role {
        None => NO_ROLE,
        Some("foundation") => FOUNDATION,
        Some("central") => CENTRAL,
        Some("outcome") => OUTCOME,
        Some(word) => {
            let i = others.iter().position(|o| o == word).unwrap_or(0);
            OTHER_ROLES[i % OTHER_ROLES.len()]
        }
    }
}

/// A role as written, trimmed and lower case; empty is none.
pub(super) fn normal_role(role: Option<&str>) -> Option<String> {
    role.map(|r| r.trim().to_lowercase()).filter(|r| !r.is_empty())
}
