//! Slide-shaped regions. A region (a Venn region, one side of a DIFF) is
//! one node: an HTML-like table whose columns hold the region's lists, one
//! list per relationship type. How many columns each region gets is chosen
//! here, for the whole diagram at once: every column height from short to
//! tall is tried, each region is packed into columns of that height, and the
//! height whose drawing fits a 16:9 frame at the largest scale wins. Text
//! sizes are estimated from character counts (Helvetica's average advance),
//! which is all the choice needs: Graphviz still measures the real text.

use super::{ListItem, html_attr, html_text};

/// Points per line of list text (14 pt type and its cell padding).
const LINE: f64 = 20.0;
/// Average advance of a Helvetica character, as a fraction of its size.
const ADVANCE: f64 = 0.56;
const FONT: f64 = 14.0;
/// The frame the drawing should fill (16:9).
pub(crate) const FRAME: (f64, f64) = (1920.0, 1080.0);

/// One list: a heading in the type's colour over its items.
pub(crate) struct Block {
    pub heading: String,
    pub colour: &'static str,
    pub items: Vec<ListItem>,
}

impl Block {
    fn item_width(&self) -> f64 {
        let longest = self
            .items
            .iter()
            .map(|i| i.name.chars().count())
            .max()
            .unwrap_or(0)
            .max(self.heading.chars().count());
        longest as f64 * FONT * ADVANCE + 12.0
    }

    /// Columns of its own when it is taller than `h`, and its size then.
    fn shape(&self, h: f64) -> (usize, f64, f64) {
        let full = (self.items.len() + 1) as f64 * LINE;
        let k = ((full / h).ceil() as usize).clamp(1, 4);
        let rows = self.items.len().div_ceil(k);
        (k, k as f64 * self.item_width(), (rows + 1) as f64 * LINE + 8.0)
    }
}

/// One region: a title over its blocks.
pub(crate) struct Region {
    pub id: String,
    pub title: String,
    pub fill: &'static str,
    pub blocks: Vec<Block>,
}

/// The region's blocks in columns no taller than `h` (a block taller than
/// `h` alone takes its own columns); each column with its width, and the
/// region's width and height.
fn columns(r: &Region, h: f64) -> (Vec<Vec<usize>>, f64, f64) {
    let mut cols: Vec<(Vec<usize>, f64, f64)> = Vec::new();
    for (i, b) in r.blocks.iter().enumerate() {
        let (_, w, bh) = b.shape(h);
        match cols.last_mut() {
            Some((members, cw, ch)) if *ch + bh <= h || members.is_empty() => {
                members.push(i);
                *cw = cw.max(w);
                *ch += bh;
            }
            _ => cols.push((vec![i], w, bh)),
        }
    }
    let title_w = wrap(&r.title).iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * 16.0 * ADVANCE + 20.0;
    let width = cols.iter().map(|c| c.1 + 12.0).sum::<f64>().max(title_w);
    let height = cols.iter().map(|c| c.2).fold(0.0, f64::max) + 16.0 + 20.0 * wrap(&r.title).len() as f64;
    (cols.into_iter().map(|c| c.0).collect(), width, height)
}

/// A region title in lines of about 30 characters, broken at spaces, so a
/// long title does not set its region's width.
fn wrap(title: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in title.split(' ') {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= 30 => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Estimated width of a line of `chars` characters at `size` points.
pub(crate) fn text_width(chars: usize, size: f64) -> f64 {
    chars as f64 * size * ADVANCE
}

/// The column height that lets regions side by side (plus `above`, the
/// points taken by the title and the headers, and `extra`, the width of
/// other nodes in the same row) fit the frame at the largest scale.
pub(crate) fn choose_height(regions: &[Region], above: f64, min_width: f64, extra: f64) -> f64 {
    let mut best = (f64::MIN, 400.0);
    let mut h = 120.0;
    while h <= 3000.0 {
        let (mut w, mut tallest) = (0.0, 0.0f64);
        for r in regions {
            let (_, rw, rh) = columns(r, h);
            w += rw + 30.0;
            tallest = tallest.max(rh);
        }
        let w = (w + extra).max(min_width);
        let scale = (FRAME.0 / w).min(FRAME.1 / (tallest + above));
        if scale > best.0 + 1e-9 {
            best = (scale, h);
        }
        h += 20.0;
    }
    best.1
}

/// The region as an HTML-like table packed into columns of height `h`.
pub(crate) fn region_html(r: &Region, h: f64) -> String {
    let (cols, _, _) = columns(r, h);
    let mut cells = String::new();
    for col in &cols {
        let mut inner = String::new();
        for i in col {
            let b = &r.blocks[*i];
            let (k, _, _) = b.shape(h);
            inner.push_str(&format!(
                "<TR><TD>{}</TD></TR>",
                list_table(&b.heading, b.colour, &b.items, k)
            ));
        }
        cells.push_str(&format!(
            "<TD VALIGN=\"TOP\"><TABLE BORDER=\"0\" CELLSPACING=\"6\" CELLPADDING=\"0\">{inner}</TABLE></TD>"
        ));
    }
    format!(
        "<TABLE BORDER=\"1\" COLOR=\"#999999\" STYLE=\"ROUNDED\" BGCOLOR=\"{}\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\">\
         <TR><TD COLSPAN=\"{}\"><FONT POINT-SIZE=\"16\">{}</FONT></TD></TR><TR>{cells}</TR></TABLE>",
        r.fill,
        cols.len().max(1),
        wrap(&r.title)
            .iter()
            .map(|l| html_text(l))
            .collect::<Vec<_>>()
            .join("<BR/>")
    )
}

/// One list under a coloured heading, in `cols` columns filled downwards
/// (so reading order stays alphabetical).
pub(crate) fn list_table(heading: &str, colour: &str, items: &[ListItem], cols: usize) -> String {
    let cols = cols.max(1);
    let rows = items.len().div_ceil(cols).max(1);
    let mut out = format!(
        "<TABLE BORDER=\"1\" COLOR=\"{colour}\" STYLE=\"ROUNDED\" BGCOLOR=\"#ffffff\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">\
         <TR><TD COLSPAN=\"{cols}\" ALIGN=\"LEFT\"><FONT COLOR=\"{colour}\"><B>{}</B></FONT></TD></TR>",
        html_text(heading)
    );
    for r in 0..rows {
        out.push_str("<TR>");
        for c in 0..cols {
            match items.get(c * rows + r) {
                Some(it) => out.push_str(&format!(
                    "<TD ALIGN=\"LEFT\" HREF=\"#\" ID=\"{}\" TOOLTIP=\"{}\">{}</TD>",
                    html_attr(&it.element),
                    html_attr(&it.tip),
                    html_text(&it.name)
                )),
                None => out.push_str("<TD></TD>"),
            }
        }
        out.push_str("</TR>");
    }
    out.push_str("</TABLE>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(n: usize) -> Block {
        Block {
            heading: "responsible for".into(),
            colour: "#1f77b4",
            items: (0..n)
                .map(|i| ListItem {
                    name: format!("Item number {i}"),
                    tip: String::new(),
                    element: format!("e{i}"),
                })
                .collect(),
        }
    }

    #[test]
    fn many_short_regions_stay_one_column_and_tall_ones_spread() {
        let regions: Vec<Region> = (0..3)
            .map(|i| Region {
                id: format!("r{i}"),
                title: "Only one".into(),
                fill: "#ffffff",
                blocks: vec![block(2 + 20 * i), block(5)],
            })
            .collect();
        let h = choose_height(&regions, 150.0, 0.0, 0.0);
        let shapes: Vec<(usize, f64, f64)> = regions
            .iter()
            .map(|r| {
                let (c, w, hh) = columns(r, h);
                (c.len(), w, hh)
            })
            .collect();
        // Everything fits the chosen height; the tallest region took more
        // columns than the shortest.
        assert!(shapes.iter().all(|s| s.2 <= h + 36.0 + 1.0), "{shapes:?} at {h}");
        assert!(shapes[2].0 >= shapes[0].0, "{shapes:?}");
        let total_w: f64 = shapes.iter().map(|s| s.1 + 30.0).sum();
        let tallest = shapes.iter().map(|s| s.2).fold(0.0, f64::max) + 150.0;
        assert!(tallest <= total_w, "no taller than wide: {total_w}x{tallest}");
    }
}
