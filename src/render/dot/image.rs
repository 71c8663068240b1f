//! Pictures from DOT through Graphviz's `dot` program (via graphviz-rust's
//! `exec_dot`). `dot` is not on a new machine; callers check
//! [`graphviz_available`] and fall back to writing the DOT text.

use std::str::FromStr;

use graphviz_rust::cmd::{CommandArg, Format};

/// What to tell a user who has no `dot`.
pub const INSTALL_HINT: &str =
    "install Graphviz to render it (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
    Pdf,
}

impl ImageFormat {
    pub const NAMES: [&'static str; 3] = ["svg", "png", "pdf"];

    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
            ImageFormat::Pdf => "pdf",
        }
    }
}

/// A name that is no picture format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown picture format '{found}' (expected one of: {})", ImageFormat::NAMES.join(", "))]
pub struct UnknownImageFormat {
    pub found: String,
}

impl FromStr for ImageFormat {
    type Err = UnknownImageFormat;

    fn from_str(s: &str) -> Result<ImageFormat, UnknownImageFormat> {
        match s.to_ascii_lowercase().as_str() {
            "svg" => Ok(ImageFormat::Svg),
            "png" => Ok(ImageFormat::Png),
            "pdf" => Ok(ImageFormat::Pdf),
            other => Err(UnknownImageFormat {
                found: other.to_string(),
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("Graphviz's 'dot' program is not installed; {INSTALL_HINT}")]
    NotInstalled,
    #[error("Graphviz's 'dot' failed: {0}")]
    Failed(String),
}

/// True when `dot -V` runs.
pub fn graphviz_available() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Lays out and draws `dot_text` with Graphviz's `dot`.
pub fn render_image(dot_text: &str, format: ImageFormat) -> Result<Vec<u8>, ImageError> {
    let f = match format {
        ImageFormat::Svg => Format::Svg,
        ImageFormat::Png => Format::Png,
        ImageFormat::Pdf => Format::Pdf,
    };
    graphviz_rust::exec_dot(dot_text.to_string(), vec![CommandArg::Format(f)]).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            ImageError::NotInstalled
        } else {
            ImageError::Failed(e.to_string().trim().to_string())
        }
    })
}
