//! Charts drawn at build time as inline SVG: no JavaScript, readable by screen readers
//! (`role="img"` with a title and description; every chart also has its data table).

use std::fmt::Write;

use super::html::esc;
use crate::model::number::{self, decimal};

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 40.0;
const TOP: f64 = 12.0;

/// Colours with at least 3:1 contrast against white (WCAG 1.4.11).
const COLOURS: [&str; 3] = ["#0b4f8a", "#b35900", "#116329"];

fn open(id: &str, title: &str, desc: &str, height: f64) -> String {
    format!(
        "<svg viewBox=\"0 0 {W} {height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    )
}

fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    let step =
        [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|s| *s >= max / 4.0).unwrap_or(magnitude * 10.0);
    (max / step).ceil() * step
}

fn axis(out: &mut String, max: f64, height: f64, english: bool) {
    let plot = height - BOTTOM - TOP;
    for i in 0..=4 {
        let v = max * f64::from(i) / 4.0;
        let y = TOP + plot - plot * f64::from(i) / 4.0;
        let _ = write!(out, "<line x1=\"{LEFT}\" x2=\"{W}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#d0d7de\"/>");
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT - 4.0,
            y + 4.0,
            decimal(v, english)
        );
    }
}

/// Grouped vertical bars: one group per category, one bar per series.
pub(super) fn bars(
    id: &str,
    title: &str,
    desc: &str,
    categories: &[String],
    series: &[(String, Vec<f64>)],
    english: bool,
) -> String {
    let mut out = open(id, title, desc, H);
    let max = nice_max(series.iter().flat_map(|(_, v)| v.iter().copied()).fold(0.0, f64::max));
    axis(&mut out, max, H, english);
    let plot = H - BOTTOM - TOP;
    let group = (W - LEFT) / categories.len().max(1) as f64;
    let bar = (group * 0.8) / series.len().max(1) as f64;
    for (c, category) in categories.iter().enumerate() {
        let x0 = LEFT + group * c as f64 + group * 0.1;
        for (s, (name, values)) in series.iter().enumerate() {
            let v = values.get(c).copied().unwrap_or(0.0);
            let h = plot * v / max;
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{}: {} {}</title></rect>",
                x0 + bar * s as f64,
                TOP + plot - h,
                bar.max(1.0),
                COLOURS[s % COLOURS.len()],
                esc(category),
                decimal(v, english),
                esc(name)
            );
        }
        if categories.len() <= 12 || c % 2 == 0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x0 + group * 0.4,
                H - BOTTOM + 16.0,
                esc(category)
            );
        }
    }
    for (s, (name, _)) in series.iter().enumerate() {
        let x = LEFT + 130.0 * s as f64;
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{}\"/>",
            H - 14.0,
            COLOURS[s % COLOURS.len()]
        );
        let _ = write!(out, "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>", x + 14.0, H - 5.0, esc(name));
    }
    out.push_str("</svg>");
    out
}

/// A line over the categories.
pub(super) fn line(id: &str, title: &str, desc: &str, categories: &[String], values: &[f64], english: bool) -> String {
    let mut out = open(id, title, desc, H);
    let max = nice_max(values.iter().copied().fold(0.0, f64::max));
    axis(&mut out, max, H, english);
    let plot = H - BOTTOM - TOP;
    let step = (W - LEFT - 20.0) / (values.len().max(2) - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", LEFT + 10.0 + step * i as f64, TOP + plot - plot * v / max))
        .collect();
    let _ = write!(
        out,
        "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" points=\"{}\"/>",
        COLOURS[0],
        points.join(" ")
    );
    for (i, (category, v)) in categories.iter().zip(values).enumerate() {
        let x = LEFT + 10.0 + step * i as f64;
        let _ = write!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{}\"><title>{}: {}</title></circle>",
            TOP + plot - plot * v / max,
            COLOURS[0],
            esc(category),
            decimal(*v, english)
        );
        if categories.len() <= 12 || i % 2 == 0 {
            let _ = write!(
                out,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                H - BOTTOM + 16.0,
                esc(category)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per labelled value; with `percent`, the values are percentages
/// (0–100) and written as such.
pub(super) fn hbars(
    id: &str,
    title: &str,
    desc: &str,
    items: &[(String, f64)],
    max: Option<f64>,
    percent: bool,
    english: bool,
) -> String {
    let row = 24.0;
    let height = TOP * 2.0 + row * items.len().max(1) as f64;
    let mut out = open(id, title, desc, height);
    let max = max.unwrap_or_else(|| nice_max(items.iter().map(|(_, v)| *v).fold(0.0, f64::max)));
    let label_width = 230.0;
    let span = W - label_width - 70.0;
    for (i, (label, v)) in items.iter().enumerate() {
        let y = TOP + row * i as f64;
        let w = if max > 0.0 { span * v / max } else { 0.0 };
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_width - 6.0,
            y + 15.0,
            esc(label)
        );
        let _ = write!(
            out,
            "<rect x=\"{label_width}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"16\" fill=\"{}\"/>",
            y + 3.0,
            COLOURS[0]
        );
        let text = if percent { number::percent(v / 100.0, english) } else { decimal(*v, english) };
        let _ = write!(out, "<text x=\"{:.1}\" y=\"{:.1}\">{text}</text>", label_width + w + 4.0, y + 15.0);
    }
    out.push_str("</svg>");
    out
}

/// One row of a timeline: its label and its spans, each `(from, to, kind, text)` in days
/// from the chart's start (`to` exclusive), `kind` choosing the colour (0 held, 1 frozen)
/// and `text` the span's tooltip; `ended` marks where the access was revoked or expired.
pub(super) struct Lane {
    pub label: String,
    pub spans: Vec<(i64, i64, usize, String)>,
    pub ended: Option<(i64, String)>,
}

/// A Gantt-style timeline: one lane per row over `days` days, ticks at `ticks` (day,
/// label), a legend of `legend` (kind, label). Each span carries its dates as a tooltip;
/// the page gives the same as a table (the text alternative).
pub(super) fn timeline(
    id: &str,
    title: &str,
    desc: &str,
    lanes: &[Lane],
    days: i64,
    ticks: &[(i64, String)],
    legend: &[(usize, String)],
) -> String {
    let row = 22.0;
    let label_width = 200.0;
    let top = TOP + 4.0;
    let plot_h = row * lanes.len().max(1) as f64;
    let height = top + plot_h + 44.0;
    let span_w = W - label_width - 12.0;
    let days = days.max(1) as f64;
    let x = |day: i64| label_width + span_w * (day as f64).clamp(0.0, days) / days;
    let mut out = open(id, title, desc, height);
    for (i, (day, label)) in ticks.iter().enumerate() {
        // The last date ends at the chart's right edge rather than running past it.
        let anchor = if i + 1 == ticks.len() && i > 0 { "end" } else { "middle" };
        let _ = write!(
            out,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{top:.1}\" y2=\"{1:.1}\" stroke=\"#d0d7de\"/><text x=\"{0:.1}\" y=\"{2:.1}\" text-anchor=\"{anchor}\">{3}</text>",
            x(*day),
            top + plot_h,
            top + plot_h + 14.0,
            esc(label)
        );
    }
    for (i, lane) in lanes.iter().enumerate() {
        let y = top + row * i as f64;
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_width - 6.0,
            y + 15.0,
            esc(&lane.label)
        );
        for (from, to, kind, text) in &lane.spans {
            let (x0, x1) = (x(*from), x(*to));
            let _ = write!(
                out,
                "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" fill=\"{}\"><title>{}</title></rect>",
                y + 4.0,
                (x1 - x0).max(1.5),
                COLOURS[kind % COLOURS.len()],
                esc(text)
            );
        }
        if let Some((day, text)) = &lane.ended {
            let _ = write!(
                out,
                "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.1}\" y2=\"{2:.1}\" stroke=\"#a40e26\" stroke-width=\"2.5\"><title>{3}</title></line>",
                x(*day),
                y + 2.0,
                y + 20.0,
                esc(text)
            );
        }
    }
    let mut lx = label_width;
    for (kind, label) in legend {
        let ly = height - 14.0;
        if *kind == usize::MAX {
            let _ = write!(
                out,
                "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{ly:.1}\" y2=\"{1:.1}\" stroke=\"#a40e26\" stroke-width=\"2.5\"/>",
                lx + 5.0,
                ly + 10.0
            );
        } else {
            let _ = write!(
                out,
                "<rect x=\"{lx:.1}\" y=\"{ly:.1}\" width=\"10\" height=\"10\" fill=\"{}\"/>",
                COLOURS[kind % COLOURS.len()]
            );
        }
        let _ = write!(out, "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>", lx + 14.0, ly + 9.0, esc(label));
        lx += 16.0 + 7.0 * label.chars().count() as f64 + 12.0;
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_accessible_svg_with_escaped_labels() {
        let svg = bars(
            "c1",
            "Gelen <ve> kapanan",
            "Aylara göre",
            &["2026-01".into()],
            &[("Gelen".into(), vec![3.0]), ("Kapanan".into(), vec![1.0])],
            false,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"c1-t c1-d\""));
        assert!(svg.contains("Gelen &lt;ve&gt; kapanan"));
        assert_eq!(nice_max(7.0), 8.0);
        assert_eq!(nice_max(0.0), 1.0);
        let h = hbars("c2", "t", "d", &[("Zabıta".into(), 0.5)], Some(1.0), false, false);
        assert!(h.contains("Zabıta") && h.contains(">0,5</text>"), "{h}");
        let h = hbars("c3", "t", "d", &[("Analiz".into(), 400.0 / 7.0)], Some(100.0), true, false);
        assert!(h.contains(">%57,1</text>"), "{h}");
        let l = line("c4", "t", "d", &["2026-01".into()], &[2.5], false);
        assert!(l.contains(">2,5</title>") || l.contains(": 2,5</title>"), "{l}");
        let lane = Lane {
            label: "Tolga Şen".into(),
            spans: vec![(0, 10, 0, "Etkin 01.01.2026 – 11.01.2026".into()), (10, 20, 1, "Donduruldu <x>".into())],
            ended: Some((20, "Geri alındı 21.01.2026".into())),
        };
        let t =
            timeline("c5", "Erişim", "Kim ne zaman", &[lane], 40, &[(0, "01.01.2026".into())], &[(0, "Etkin".into())]);
        assert!(t.contains("aria-labelledby=\"c5-t c5-d\"") && t.contains("Donduruldu &lt;x&gt;"), "{t}");
        assert!(t.contains("width=\"107.0\"") && t.contains("Geri alındı 21.01.2026</title></line>"), "{t}");
    }
}
