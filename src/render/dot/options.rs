//! What a user can change about a diagram from the command line or the
//! shell (`--title`, `--no-sources`, `--direction`, `--size`, `--dpi`,
//! `--legend`): parsed here once, applied by every diagram kind.

use std::str::FromStr;

/// A bad diagram option, by kind; the CLI shows it as a usage error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptionError {
    #[error("unknown direction '{0}' (expected LR or TB)")]
    Direction(String),
    #[error("unknown legend '{0}' (expected none, compact or full)")]
    Legend(String),
    #[error("cannot read size '{0}': expected WIDTHxHEIGHT in inches or px, e.g. 13.33x7.5 or 1920x1080px")]
    Size(String),
    #[error("size '{0}' must be positive and at most 1000 inches (or 100000 px) a side")]
    SizeRange(String),
    #[error("cannot read dpi '{0}': expected a whole number from 10 to 2400")]
    Dpi(String),
}

/// The way ranks run: top to bottom or left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    TopBottom,
    LeftRight,
}

impl Direction {
    pub fn rankdir(self) -> &'static str {
        match self {
            Direction::TopBottom => "TB",
            Direction::LeftRight => "LR",
        }
    }
}

impl FromStr for Direction {
    type Err = OptionError;

    fn from_str(s: &str) -> Result<Direction, OptionError> {
        match s.to_ascii_uppercase().as_str() {
            "TB" | "TD" => Ok(Direction::TopBottom),
            "LR" => Ok(Direction::LeftRight),
            _ => Err(OptionError::Direction(s.to_string())),
        }
    }
}

/// How much key a diagram carries under its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LegendMode {
    None,
    /// One line of the edge and box kinds that occur.
    #[default]
    Compact,
    /// One line per kind that occurs, with what it means.
    Full,
}

impl FromStr for LegendMode {
    type Err = OptionError;

    fn from_str(s: &str) -> Result<LegendMode, OptionError> {
        match s.to_ascii_lowercase().as_str() {
            "none" | "off" => Ok(LegendMode::None),
            "compact" => Ok(LegendMode::Compact),
            "full" => Ok(LegendMode::Full),
            _ => Err(OptionError::Legend(s.to_string())),
        }
    }
}

/// A largest drawing size, in inches (`WxH`, `WxHin`) or pixels (`WxHpx`,
/// converted with the dpi given, else 96).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub width: f64,
    pub height: f64,
    pub pixels: bool,
}

impl Size {
    /// The size in inches at `dpi` dots per inch.
    pub fn inches(&self, dpi: u32) -> (f64, f64) {
        if self.pixels {
            (self.width / dpi as f64, self.height / dpi as f64)
        } else {
            (self.width, self.height)
        }
    }
}

impl FromStr for Size {
    type Err = OptionError;

    fn from_str(s: &str) -> Result<Size, OptionError> {
        let t = s.trim().to_ascii_lowercase();
        let (body, pixels) = if let Some(b) = t.strip_suffix("px") {
            (b, true)
        } else if let Some(b) = t.strip_suffix("in") {
            (b, false)
        } else {
            (t.as_str(), false)
        };
        let bad = || OptionError::Size(s.to_string());
        let (w, h) = body.split_once(['x', ',']).ok_or_else(bad)?;
        let w: f64 = w.trim().parse().map_err(|_| bad())?;
        let h: f64 = h.trim().parse().map_err(|_| bad())?;
        let max = if pixels { 100_000.0 } else { 1000.0 };
        if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 && w <= max && h <= max) {
            return Err(OptionError::SizeRange(s.to_string()));
        }
        Ok(Size {
            width: w,
            height: h,
            pixels,
        })
    }
}

/// Parses a dpi value.
pub fn parse_dpi(s: &str) -> Result<u32, OptionError> {
    match s.trim().parse::<u32>() {
        Ok(n) if (10..=2400).contains(&n) => Ok(n),
        _ => Err(OptionError::Dpi(s.to_string())),
    }
}

/// Everything a user may set about a diagram; the default is what fits a
/// slide.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiagramOptions {
    /// Replaces the title the diagram gives itself.
    pub title: Option<String>,
    /// Leaves source ids out of labels and footnotes (tooltips keep them).
    pub no_sources: bool,
    /// Overrides the direction the diagram kind chooses.
    pub direction: Option<Direction>,
    /// Scales a larger drawing down to fit.
    pub size: Option<Size>,
    /// Dots per inch of a PNG (and of `--size ...px`).
    pub dpi: Option<u32>,
    pub legend: LegendMode,
}

impl DiagramOptions {
    /// Graph attributes for size and dpi.
    pub(super) fn graph_attrs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(size) = self.size {
            let (w, h) = size.inches(self.dpi.unwrap_or(96));
            out.push(("size", format!("{},{}", trim_float(w), trim_float(h))));
        }
        if let Some(dpi) = self.dpi {
            out.push(("dpi", dpi.to_string()));
        }
        out
    }

    /// The rank direction: the user's, else the diagram's own choice.
    pub(super) fn rankdir(&self, default: Direction) -> &'static str {
        self.direction.unwrap_or(default).rankdir()
    }
}

fn trim_float(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes() {
        let s: Size = "13.33x7.5".parse().unwrap();
        assert_eq!(s.inches(96), (13.33, 7.5));
        let s: Size = "1920x1080px".parse().unwrap();
        assert_eq!(s.inches(96), (20.0, 11.25));
        assert_eq!(s.inches(192), (10.0, 5.625));
        assert_eq!("10X5in".parse::<Size>().unwrap().inches(72), (10.0, 5.0));
        assert!(matches!("10".parse::<Size>(), Err(OptionError::Size(_))));
        assert!(matches!("0x5".parse::<Size>(), Err(OptionError::SizeRange(_))));
        assert!(matches!("nanx5".parse::<Size>(), Err(OptionError::SizeRange(_))));
        assert!(matches!("axb".parse::<Size>(), Err(OptionError::Size(_))));
    }

    #[test]
    fn parses_words() {
        assert_eq!("lr".parse::<Direction>().unwrap(), Direction::LeftRight);
        assert!(matches!("up".parse::<Direction>(), Err(OptionError::Direction(_))));
        assert_eq!("FULL".parse::<LegendMode>().unwrap(), LegendMode::Full);
        assert!(matches!("big".parse::<LegendMode>(), Err(OptionError::Legend(_))));
        assert_eq!(parse_dpi("150").unwrap(), 150);
        assert!(parse_dpi("0").is_err() && parse_dpi("x").is_err());
        let o = DiagramOptions {
            size: Some("1920x1080px".parse().unwrap()),
            dpi: Some(192),
            ..Default::default()
        };
        assert_eq!(
            o.graph_attrs(),
            vec![("size", "10,5.625".to_string()), ("dpi", "192".to_string())]
        );
    }
}
