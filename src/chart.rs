//! The log's charts as PNG images, drawn in-process with plotters and the DejaVu Sans font
//! shipped in `assets/fonts/` (so no system font is needed): a day as its entries stacked to the
//! total, a week as a bar per day, each against the RDA and upper-limit lines.
//!
//! The picture has its own light background and dark ink, so it reads the same in Discord's
//! dark and light themes; supplements are orange, food is blue.

use std::sync::{Mutex, Once};

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ColorType, ImageEncoder};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use crate::intake::day::{Day, Week};
use crate::intake::{Estimate, Reference};

/// Width and height in pixels.
pub const SIZE: (u32, u32) = (1000, 500);

const FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const FOOD: RGBColor = RGBColor(52, 101, 164);
const SUPPLEMENT: RGBColor = RGBColor(230, 126, 34);
const RDA: RGBColor = RGBColor(46, 139, 87);
const UL: RGBColor = RGBColor(192, 57, 43);
const INK: RGBColor = RGBColor(33, 33, 33);
const PAPER: RGBColor = RGBColor(250, 250, 247);

/// Image buffers kept for the next charts: a chart reuses one instead of asking the system for
/// a fresh 1.5 MB and faulting its pages in; a few are kept, any more are freed.
static SPARE: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
const SPARES: usize = 4;

/// One bar: a label, where it starts, and its food and supplement parts (mg).
struct Bar {
    label: String,
    base: f64,
    food: f64,
    supplement: f64,
}

/// Today: one bar per entry, each starting where the one before ended, then the day's total.
pub fn day_png(day: &Day) -> Result<Vec<u8>, String> {
    let parts = day.entries.iter().map(|entry| {
        let supplement = entry.supplement_zinc_mg.min(entry.total_zinc_mg);
        (entry.at.get(11..16).unwrap_or("").to_string(), entry.total_zinc_mg - supplement, supplement)
    });
    draw(&format!("Zinc on {}", day.date), &stacked(parts.collect()), &day.reference)
}

/// One estimate: a bar per mention (a dish's parts together), each starting where the one before
/// ended, then the total.
pub fn estimate_png(estimate: &Estimate) -> Result<Vec<u8>, String> {
    let mut parts: Vec<(String, f64, f64)> = Vec::new();
    let mut last_input: Option<&str> = None;
    for item in estimate.items.iter().filter(|i| i.counted) {
        match parts.last_mut() {
            Some((_, food, _)) if last_input == Some(item.input.as_str()) => *food += item.zinc_mg,
            _ => parts.push((crate::text::clip(&item.input, 12), item.zinc_mg, 0.0)),
        }
        last_input = Some(&item.input);
    }
    let supplements = estimate.supplements.iter().filter(|s| s.counted);
    parts.extend(supplements.map(|s| (crate::text::clip(&s.input, 12), 0.0, s.elemental_zinc_mg)));
    draw(&format!("Zinc estimate: {}", estimate.reference.label), &stacked(parts), &estimate.reference)
}

/// A bar for each of `parts` (a label, food mg, supplement mg), each starting where the one
/// before ended, then a bar of their total.
fn stacked(parts: Vec<(String, f64, f64)>) -> Vec<Bar> {
    let mut bars = Vec::with_capacity(parts.len() + 1);
    let (mut food_total, mut supplement_total) = (0.0, 0.0);
    for (label, food, supplement) in parts {
        bars.push(Bar { label, base: food_total + supplement_total, food, supplement });
        food_total += food;
        supplement_total += supplement;
    }
    bars.push(Bar { label: "total".into(), base: 0.0, food: food_total, supplement: supplement_total });
    bars
}

/// The week: a bar per day, oldest first.
pub fn week_png(week: &Week) -> Result<Vec<u8>, String> {
    let bars: Vec<Bar> = week
        .days
        .iter()
        .map(|d| {
            let supplement = d.supplement_zinc_mg.min(d.total_zinc_mg);
            Bar {
                label: d.date.get(5..).unwrap_or("").to_string(),
                base: 0.0,
                food: d.total_zinc_mg - supplement,
                supplement,
            }
        })
        .collect();
    let reference = week.reference.as_ref().ok_or("no reference values")?;
    draw("Zinc, last 7 days", &bars, reference)
}

fn draw(title: &str, bars: &[Bar], reference: &Reference) -> Result<Vec<u8>, String> {
    register_font();
    let (width, height) = SIZE;
    let spare = SPARE.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let mut pixels = spare.unwrap_or_else(|| vec![0u8; (width * height * 3) as usize]);
    let png = paint(&mut pixels, title, bars, reference);
    let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
    if spare.len() < SPARES {
        spare.push(pixels);
    }
    png
}

/// Paints the chart into `pixels` (every pixel, so a spare buffer needs no clearing) and
/// encodes it as PNG.
fn paint(pixels: &mut [u8], title: &str, bars: &[Bar], reference: &Reference) -> Result<Vec<u8>, String> {
    {
        let root = BitMapBackend::with_buffer(pixels, SIZE).into_drawing_area();
        plot(&root, title, bars, reference).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    // Flat colours compress well even at the fastest setting, which is several times quicker.
    let mut png = Vec::new();
    let encoder = PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Sub);
    encoder.write_image(pixels, SIZE.0, SIZE.1, ColorType::Rgb8).map_err(|e| e.to_string())?;
    Ok(png)
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

fn plot(root: &Area, title: &str, bars: &[Bar], reference: &Reference) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&PAPER)?;
    let highest = bars.iter().map(|b| b.base + b.food + b.supplement).fold(reference.ul_mg, f64::max);
    let top = (highest * 1.15).ceil();
    let text = |size: u32| ("sans-serif", size).into_font().color(&INK);
    let mut chart = ChartBuilder::on(root)
        .caption(title, text(26))
        .margin(16)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..bars.len() as f64, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(8)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .y_desc("zinc, mg")
        .label_style(text(16))
        .axis_desc_style(text(16))
        .bold_line_style(RGBColor(225, 225, 220))
        .light_line_style(PAPER)
        .draw()?;
    // Each bar's label under its middle, drawn on the whole picture so it is not clipped.
    let under = text(15).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, bar) in bars.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        root.draw(&Text::new(bar.label.clone(), (x, y + 8), under.clone()))?;
    }
    for (i, bar) in bars.iter().enumerate() {
        let (left, right) = (i as f64 + 0.15, i as f64 + 0.85);
        let food_top = bar.base + bar.food;
        chart.draw_series([
            Rectangle::new([(left, bar.base), (right, food_top)], FOOD.filled()),
            Rectangle::new([(left, food_top), (right, food_top + bar.supplement)], SUPPLEMENT.filled()),
        ])?;
    }
    let line = |mg: f64, color: RGBColor, name: String| {
        let points = vec![(0.0, mg), (bars.len() as f64, mg)];
        (std::iter::once(PathElement::new(points, color.stroke_width(3))), name, color)
    };
    let rda = format!("RDA {} mg ({})", reference.rda_mg, reference.label);
    let ul = format!("upper limit {} mg", reference.ul_mg);
    for (series, name, color) in [line(reference.rda_mg, RDA, rda), line(reference.ul_mg, UL, ul)] {
        chart
            .draw_series(series)?
            .label(name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(3)));
    }
    // The lines are labelled where they end, too, so they read without the legend.
    let end = text(15).pos(Pos::new(HPos::Right, VPos::Bottom));
    for (mg, name) in [(reference.rda_mg, "RDA"), (reference.ul_mg, "upper limit")] {
        let (x, y) = chart.backend_coord(&(bars.len() as f64, mg));
        root.draw(&Text::new(name, (x - 4, y - 4), end.clone()))?;
    }
    chart
        .draw_series([Rectangle::new([(0.0, 0.0), (0.0, 0.0)], FOOD.filled())])?
        .label("food")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], FOOD.filled()));
    chart
        .draw_series([Rectangle::new([(0.0, 0.0), (0.0, 0.0)], SUPPLEMENT.filled())])?
        .label("supplements")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], SUPPLEMENT.filled()));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(PAPER.mix(0.9))
        .border_style(INK)
        .label_font(text(15))
        .draw()?;
    Ok(())
}

/// Registers the shipped font once, as the "sans-serif" family every label uses.
fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is a valid TrueType file checked in with the source; a failure is a build error
        // in all but name, and the chart's text would simply be missing.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::day::{DayTotal, Entry};
    use crate::intake::{RdaShare, Reference};

    fn reference() -> Reference {
        Reference {
            profile: "adult".into(),
            label: "adult (19+)".into(),
            rda_mg: 11.0,
            ul_mg: 40.0,
            rdas: vec![RdaShare { label: "men".into(), rda_mg: 11.0, percent: 0.0 }],
        }
    }

    #[test]
    fn a_day_and_a_week_are_png_images_of_the_stated_size() {
        let entry = |at: &str, zinc: f64, supplement: f64| Entry {
            at: at.into(),
            input: "x".into(),
            total_zinc_mg: zinc,
            total_copper_mg: 0.1,
            supplement_zinc_mg: supplement,
        };
        let day = Day {
            date: "2026-12-05".into(),
            entries: vec![entry("2026-12-05T08:00:00+00:00", 3.0, 0.0), entry("2026-12-05T12:00:00+00:00", 52.0, 50.0)],
            total_zinc_mg: 55.0,
            total_copper_mg: 0.2,
            reference: reference(),
            warnings: Vec::new(),
        };
        let week = Week {
            days: (1..=7)
                .map(|d| DayTotal {
                    date: format!("2026-12-0{d}"),
                    total_zinc_mg: d as f64 * 3.0,
                    total_copper_mg: 0.5,
                    supplement_zinc_mg: 0.0,
                })
                .collect(),
            reference: Some(reference()),
        };
        let (first_day, first_week) = (day_png(&day).unwrap(), week_png(&week).unwrap());
        for png in [&first_day, &first_week] {
            assert_eq!(&png[1..4], b"PNG");
            // The IHDR chunk holds the width and height, big-endian, from byte 16.
            let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
            let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
            assert_eq!((width, height), SIZE);
        }
        // Drawn again in buffers another chart used, they come out the same.
        for _ in 0..SPARES + 1 {
            assert_eq!(day_png(&day).unwrap(), first_day);
            assert_eq!(week_png(&week).unwrap(), first_week);
        }
    }
}
