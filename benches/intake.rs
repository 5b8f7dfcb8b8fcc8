//! Intake speed: one typical list through the estimator, and the whole
//! `zincbot intake --json -` process over 1,000 lists.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use zincbot::advisor::Advisor;

const TYPICAL: &str = "2 eggs, 100g beef, ½ cup lentils, a handful of cashews, zinc gluconate 50mg";

/// 1,000 lists of the kinds people type, built from a few dozen real ones.
fn thousand_lists() -> String {
    let lists = [
        TYPICAL,
        "for breakfast I had 2 scrambled eggs and toast with butter",
        "150g chicken breast, 1 cup brown rice, 1 cup broccoli",
        "a bowl of oatmeal with a handful of walnuts and a banana",
        "3 oz steak, baked potato, side salad",
        "zinc picolinate 30mg, multivitamin with 15mg zinc",
        "greek yogurt 200g + 30g almonds + 1 medium apple",
        "chiken soup, brocoli, 2 slices wholemeal bread",
        "6 oysters, 1 glass of milk, pumpkin seeds 2 tbsp",
        "2-3 eggs, a couple of sausages, baked beans 1/2 cup",
    ];
    (0..1000).map(|i| lists[i % lists.len()]).collect::<Vec<_>>().join("\n") + "\n"
}

fn benches(c: &mut Criterion) {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let advisor = Advisor::load(&content).expect("content loads");
    let profile = advisor.estimator().reference.default();
    c.bench_function("estimate a typical 5-item list", |b| b.iter(|| advisor.intake(black_box(TYPICAL), profile)));

    let input = thousand_lists();
    let mut group = c.benchmark_group("process");
    group.sample_size(10);
    group.bench_function("zincbot intake --json - over 1,000 lists", |b| {
        b.iter(|| {
            let mut child = Command::new(env!("CARGO_BIN_EXE_zincbot"))
                .args(["--content", content.to_str().unwrap(), "intake", "--json", "-"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("runs");
            child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success());
            assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), 1000);
        })
    });
    group.finish();
}

criterion_group!(intake, benches);
criterion_main!(intake);
