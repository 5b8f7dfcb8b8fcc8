//! Dishes counted as their parts, restaurant items matched whole, and supplement products by
//! their label figure: over a small dish file written here, whose arithmetic the tests can
//! check exactly, and over the shipped content.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use zincbot::content::{self, ContentError};
use zincbot::intake::{Estimate, Estimator};

/// 2 slices whole-wheat bread (18075: 2.15 mg zinc/100 g... as SR28 has it) and turkey.
const TEST_DISHES: &str = r#"
[[dish]]
names = ["test sandwich", "testwich"]
unit = "sandwich"
recipe = "typical recipe: 2 slices whole-wheat bread, 2 oz turkey"
sizes = { large = 1.5, footlong = 2, "14 inch" = 8 }
parts = [
  { ndb = "18075", grams = 56, as = "2 slices whole-wheat bread" },
  { ndb = "07254", grams = 56, as = "sliced turkey breast" },
]

[[dish]]
names = ["test platter"]
unit = "plate"
recipe = "typical recipe: 120 g turkey cut in 6 pieces"
pieces = 6
parts = [{ ndb = "07254", grams = 120, as = "sliced turkey breast" }]
"#;

/// An estimator over a copy of the content whose dishes are only [`TEST_DISHES`].
fn test_estimator() -> &'static Estimator {
    static ESTIMATOR: OnceLock<Estimator> = OnceLock::new();
    ESTIMATOR.get_or_init(|| {
        let dir = common::content_copy("dishes");
        std::fs::remove_dir_all(dir.join("dishes")).unwrap();
        std::fs::create_dir(dir.join("dishes")).unwrap();
        std::fs::write(dir.join("dishes/test.toml"), TEST_DISHES).unwrap();
        Estimator::load(&dir).expect("content loads")
    })
}

fn shipped() -> &'static Estimator {
    static ESTIMATOR: OnceLock<Estimator> = OnceLock::new();
    ESTIMATOR
        .get_or_init(|| Estimator::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).expect("content loads"))
}

fn run(estimator: &Estimator, text: &str) -> Estimate {
    estimator.estimate(text, estimator.reference.default())
}

/// Grams of each part, in order.
fn grams(e: &Estimate) -> Vec<f64> {
    e.items.iter().map(|i| i.grams).collect()
}

#[test]
fn a_dish_is_counted_as_its_parts_each_with_its_ndb_number() {
    let e = run(test_estimator(), "a test sandwich");
    assert_eq!(e.items.iter().map(|i| i.food_id.as_str()).collect::<Vec<_>>(), ["18075", "07254"]);
    assert_eq!(grams(&e), [56.0, 56.0]);
    assert!(e.items.iter().all(|i| i.dish.as_deref() == Some("test sandwich (1 x 1 sandwich)")), "{:?}", e.items);
    assert!(e.items[0].assumptions[0].contains("typical recipe: 2 slices whole-wheat bread"), "{:?}", e.items[0]);
    let zinc: f64 = e.items.iter().map(|i| i.zinc_mg).sum();
    assert!((e.food_zinc_mg - zinc).abs() < 0.011, "{} vs {zinc}", e.food_zinc_mg);
}

#[test]
fn counts_sizes_and_weights_scale_the_whole_dish() {
    let est = test_estimator();
    assert_eq!(grams(&run(est, "2 testwiches")), [112.0, 112.0]);
    assert_eq!(grams(&run(est, "a large test sandwich")), [84.0, 84.0]);
    assert_eq!(grams(&run(est, "footlong test sandwich")), [112.0, 112.0]);
    assert_eq!(grams(&run(est, "a 14 inch test sandwich")), [448.0, 448.0]);
    assert_eq!(grams(&run(est, "a 14\" test sandwich")), [448.0, 448.0]);
    assert_eq!(grams(&run(est, "56 g test sandwich")), [28.0, 28.0]);
    let small = run(est, "a small test sandwich");
    assert_eq!(grams(&small), [56.0, 56.0]);
    assert!(small.items[0].assumptions.iter().any(|a| a.contains("no \"small\" size")), "{:?}", small.items[0]);
}

/// A dish served by the plate or the roll and counted by the piece: a piece is the share of a
/// serving its file says, not a whole serving ("6 pieces kalbi" had been six plates, 720 g).
#[test]
fn a_piece_of_a_dish_cut_in_pieces_is_its_share_of_a_serving() {
    let est = test_estimator();
    assert_eq!(grams(&run(est, "3 pieces of test platter")), [60.0]);
    assert_eq!(grams(&run(est, "test platter, 12 pieces")), [240.0]);
    assert_eq!(grams(&run(est, "a test platter")), [120.0]);
    let e = run(est, "3 pieces of test platter");
    assert!(e.items[0].assumptions.iter().any(|a| a == "a plate counted as 6 pieces"), "{:?}", e.items[0]);
    // A dish without a piece count keeps counting a piece as one serving.
    assert_eq!(grams(&run(est, "2 pieces of test sandwich")), [112.0, 112.0]);
    let shipped = shipped();
    let e = run(shipped, "8 pieces of sushi");
    assert_eq!(e.items[0].grams, 120.0, "{:?}", e.items);
    let e = run(shipped, "6 pieces kalbi");
    assert_eq!(e.items[0].grams, 120.0, "{:?}", e.items);
}

#[test]
fn an_amount_beside_a_part_sets_that_part_only() {
    let e = run(test_estimator(), "test sandwich with 100 g turkey");
    assert_eq!(grams(&e), [56.0, 100.0]);
    // A food that is not a part is a food of its own.
    let e = run(test_estimator(), "test sandwich with cheese");
    assert_eq!(e.items.len(), 3, "{:?}", e.items);
    assert!(e.items[2].dish.is_none() && e.items[2].food.starts_with("Cheese"), "{:?}", e.items[2]);
    let e = run(test_estimator(), "test sandwich, cheese on the side");
    assert!(e.items[2].dish.is_none(), "{:?}", e.items[2]);
}

#[test]
fn a_broken_dish_file_is_refused_with_its_line() {
    let dir = common::content_copy("bad-dishes");
    let bad = "[[dish]]\nnames = [\"x dish\"]\nunit = \"plate\"\nrecipe = \"r\"\nparts = [{ ndb = \"99999\", grams = 10, as = \"nothing\" }]\n\n[[dish]]\nnames = [\"big mac\"]\nunit = \"burger\"\nrecipe = \"r\"\nparts = [{ ndb = \"18075\", grams = 0, as = \"bread\" }]\n\n[[dish]]\nnames = [\"one piece dish\"]\nunit = \"plate\"\nrecipe = \"r\"\npieces = 1\nparts = [{ ndb = \"18075\", grams = 10, as = \"bread\" }]\n";
    std::fs::write(dir.join("dishes/zz-bad.toml"), bad).unwrap();
    let errors: Vec<ContentError> = content::load_foods(&dir).expect_err("refused");
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(text.iter().any(|e| e.contains("zz-bad.toml:5:") && e.contains("99999")), "{text:?}");
    assert!(text.iter().any(|e| e.contains("zz-bad.toml:11:") && e.contains("out of range")), "{text:?}");
    assert!(text.iter().any(|e| e.contains("\"big mac\" is already used")), "{text:?}");
    assert!(text.iter().any(|e| e.contains("zz-bad.toml:15:") && e.contains("pieces must be from 2")), "{text:?}");
}

#[test]
fn restaurant_names_holding_amount_words_are_read_whole() {
    let est = shipped();
    let e = run(est, "2 big macs");
    assert_eq!(e.items.len(), 1, "{:?}", e.items);
    assert_eq!(e.items[0].food_id, "21237");
    assert_eq!(e.items[0].grams, 438.0);
    let e = run(est, "a quarter pounder");
    assert_eq!(e.items[0].food_id, "21234");
    assert_eq!(e.items[0].grams, 171.0);
    let e = run(est, "reese's peanut butter cups");
    assert!(e.items[0].food.contains("REESE'S Peanut Butter Cups"), "{:?}", e.items);
    assert!(e.items[0].grams < 100.0, "{:?}", e.items);
}

#[test]
fn shipped_dishes_show_their_parts() {
    let est = shipped();
    let dishes = ["a turkey sandwich", "beans on toast", "2 hard shell beef tacos", "chicken tikka masala", "pad thai"];
    for text in dishes.into_iter().chain(["guac", "paella", "mushroom risotto", "patatas bravas"]) {
        let e = run(est, text);
        assert!(!e.items.is_empty() && e.items.iter().all(|i| i.dish.is_some()), "{text}: {:?}", e.items);
        assert!(e.unrecognized.is_empty(), "{text}: {:?}", e.unrecognized);
    }
    let tacos = run(est, "2 hard shell beef tacos");
    assert!(tacos.items.iter().any(|i| i.food.to_lowercase().contains("beef")), "{:?}", tacos.items);
}

#[test]
fn a_product_is_counted_from_its_label_and_says_where_that_was_read() {
    let e = run(shipped(), "cold-eeze x4");
    assert_eq!(e.supplements.len(), 1, "{e:?}");
    assert_eq!(e.supplements[0].elemental_zinc_mg, 53.2);
    assert!(e.supplements[0].assumptions[0].contains("dailymed.nlm.nih.gov"), "{:?}", e.supplements[0]);
    let e = run(shipped(), "a cold eeze lozenge");
    assert_eq!(e.supplements[0].elemental_zinc_mg, 13.3);
    // A dose typed with the product is the dose read.
    let e = run(shipped(), "cold-eeze zinc 10 mg");
    assert_eq!(e.supplements[0].elemental_zinc_mg, 10.0);
}

/// Over the whole SR28 weight table: every household measure whose number is a size rather than
/// a count, listed by its shape, weighs one item.
#[test]
fn usda_measures_whose_number_is_a_size_are_one_item() {
    let mut shapes: Vec<String> = Vec::new();
    for food in &shipped().foods.table.foods {
        for weight in food.weights.iter().filter(|w| w.is_size()) {
            assert_eq!(weight.grams_each(), weight.grams, "{} {}", food.ndb, weight.label());
            shapes.push(weight.measure.clone());
        }
    }
    shapes.sort();
    shapes.dedup_by(|a, b| a == b);
    assert_eq!(shapes, ["bottle 8 fl oz", "fl oz cup", "inch sub"]);
    // Counts stay counts: 3 quesadillas, 8 fl oz, 3 oz of patties.
    let quesadilla = shipped().food("36052").unwrap();
    let three = quesadilla.weights.iter().find(|w| w.measure.starts_with("quesadilla 5-6")).unwrap();
    assert_eq!(three.grams_each(), three.grams / 3.0);
    let sub = shipped().food("21207").unwrap();
    let footlong = sub.weights.iter().find(|w| w.amount == 12.0).unwrap();
    assert_eq!(footlong.grams_each(), 367.0, "a 12 inch sub is one sub");
}

#[test]
fn a_number_of_inches_is_a_size_not_a_count() {
    // A sub as a food (the test content has no sub dish) is 21124, a cold-cut sub: USDA's 6 inch
    // sub is 196 g and its 12 inch sub 391 g.
    let sub = |text: &str| {
        let e = run(test_estimator(), text);
        assert_eq!(e.items[0].food_id, "21124", "{text}");
        assert_eq!(e.items.len(), 1, "{text}: {:?}", e.items);
        e.items[0].grams
    };
    assert_eq!(sub("a 12 inch sub"), 391.0);
    assert_eq!(sub("2 6 inch subs"), 392.0);
    assert_eq!(sub("a 12\" sub"), 391.0);
    // A footlong is twelve inches, however it is spelled.
    assert_eq!(sub("a footlong sub"), 391.0);
    assert_eq!(sub("2 foot-long subs"), 782.0);
}

#[test]
fn doses_that_add_up_to_an_absurd_day_make_the_estimate_implausible() {
    let e = run(shipped(), "zinc 400 mg, zinc 400 mg, zinc 400 mg");
    assert_eq!(serde_json::to_value(e.status).unwrap(), "implausible");
    assert!(e.warnings[0].contains("1200 mg"), "{:?}", e.warnings);
    let fine = run(shipped(), "zinc 50 mg, zinc 50 mg");
    assert_eq!(serde_json::to_value(fine.status).unwrap(), "ok");
}

#[test]
fn a_dish_whose_parts_are_listed_after_it_heads_them_and_is_not_counted_twice() {
    let est = test_estimator();
    let e = run(est, "test sandwich!! 2 slices whole-wheat bread, 100 g turkey bacon");
    assert_eq!(grams(&e), [64.0, 100.0], "{:?}", e.items);
    assert!(e.items.iter().all(|i| i.dish.is_none()), "{:?}", e.items);
    assert!(e.items[0].assumptions[0].contains("read as a heading"), "{:?}", e.items[0]);
    // One part named after it is a food of its own beside the dish.
    let e = run(est, "test sandwich, 2 slices whole-wheat bread");
    assert_eq!(e.items.len(), 3, "{:?}", e.items);
    // A dish with an amount is counted, whatever follows.
    let e = run(est, "2 test sandwiches, 2 slices whole-wheat bread, 100 g turkey breast");
    assert_eq!(e.items.len(), 4, "{:?}", e.items);
}

#[test]
fn a_dish_whose_contents_follow_without_amounts_is_counted_whole() {
    let est = test_estimator();
    for text in [
        "test sandwich - whole-wheat bread, turkey bacon. an apple",
        "test sandwich: turkey bacon, whole-wheat bread. an apple",
    ] {
        let e = run(est, text);
        let ids: Vec<&str> = e.items.iter().map(|i| i.food_id.as_str()).collect();
        assert_eq!(ids, ["18075", "07254", "09003"], "{text}: {:?}", e.items);
        assert_eq!(grams(&e)[..2], [56.0, 56.0], "{text}");
        let said = &e.items[0].assumptions[0];
        assert!(said.contains("\"turkey bacon\"") && said.contains("read as what is in it"), "{text}: {said}");
    }
    // With an amount the entries are what was eaten, and the dish is only their heading.
    let e = run(est, "test sandwich - 2 slices whole-wheat bread, turkey bacon");
    assert!(e.items.iter().all(|i| i.dish.is_none()), "{:?}", e.items);
    // Naming one part is not a description: the dish and the food are both counted.
    let e = run(est, "test sandwich - turkey bacon");
    assert_eq!(e.items.len(), 3, "{:?}", e.items);
}

#[test]
fn a_share_of_a_whole_bird_is_weighed_by_usda_s_half_bird() {
    let est = shipped();
    // USDA SR28 05009: 0.5 chicken, bone removed = 299 g; 05140: 0.5 duck = 382 g.
    for (text, ndb, g) in [
        ("half a chicken and chips", "05009", 299.0),
        ("nandos half chicken (medium)", "05009", 299.0),
        ("a quarter chicken", "05009", 149.5),
        ("half a roast duck", "05140", 382.0),
    ] {
        let e = run(est, text);
        assert_eq!((e.items[0].food_id.as_str(), e.items[0].grams), (ndb, g), "{text}: {:?}", e.items);
    }
    // "a bowl of chili" stays a bowl of the chili, not a name read whole.
    let e = run(est, "a bowl of chili");
    assert!(e.items[0].assumptions.iter().any(|a| a == "a bowl counted as 1 cup"), "{:?}", e.items[0]);
}

#[test]
fn a_number_typed_before_a_part_of_a_dish_counts_that_part() {
    let est = shipped();
    // The recipe: 2 slices white toast (44 g), 2 scrambled eggs (122 g), butter 5 g.
    let e = run(est, "3 scrambled eggs on 2 toast");
    assert_eq!(grams(&e), [44.0, 183.0, 5.0], "{:?}", e.items);
    assert!(e.items[1].assumptions.iter().any(|a| a.contains("3 as typed, 61 g each")), "{:?}", e.items[1]);
    // "2 poached eggs on toast" is one plate with two eggs, not two plates; a number said in
    // words counts too.
    let one = run(est, "poached eggs on toast");
    assert_eq!(grams(&run(est, "2 poached eggs on toast")), grams(&one));
    assert_eq!(grams(&run(est, "an egg on toast"))[1], grams(&one)[1] / 2.0);
    // A number before the dish's own name still counts servings.
    let e = run(est, "2 bacon sandwiches");
    assert_eq!(grams(&e), grams(&run(est, "bacon sandwich")).iter().map(|g| g * 2.0).collect::<Vec<_>>());
}

#[test]
fn a_colon_heading_over_weighed_entries_names_the_meal_they_weigh_out() {
    let e = run(shipped(), "cheese board after dinner: 3 cream crackers, about 40g stilton");
    assert_eq!(e.items.len(), 2, "{:?}", e.items);
    assert!(e.items[0].assumptions[0].contains("\"cheese board after dinner\" read as a heading"), "{:?}", e.items);
    let e = run(shipped(), "supplements: zinc citrate 25mg, zinc gluconate 50mg");
    assert!(e.items.is_empty(), "{:?}", e.items);
    assert_eq!(e.supplements.len(), 2, "{:?}", e.supplements);
    // With one weighed entry after it, or a weight of its own, the heading is a food.
    let e = run(shipped(), "cheddar: 40g, 2 crackers");
    assert_eq!(e.items[0].food_id, "01009", "{:?}", e.items);
    let e = run(shipped(), "steak 200g: with 2 eggs and 1 cup rice");
    assert_eq!(e.items.len(), 3, "{:?}", e.items);
}

#[test]
fn a_list_that_names_a_restaurant_counts_its_own_items() {
    let ids = |e: &Estimate| e.items.iter().map(|i| i.food_id.clone()).collect::<Vec<_>>();
    let e = run(shipped(), "dennys: top sirloin + hash browns");
    assert_eq!(ids(&e), ["36615", "36030"], "{:?}", e.items);
    assert!(
        e.items[0].assumptions.iter().any(|a| a.contains("the list names DENNY'S: counted as the DENNY'S item")),
        "{:?}",
        e.items[0]
    );
    // The brand's name alone, beside other entries, says where the food came from.
    let e = run(shipped(), "KFC with the kids - 2 original thighs, coleslaw");
    assert_eq!(ids(&e), ["21436", "21420"], "{:?}", e.items);
    assert!(e.items[0].assumptions[0].contains("\"kfc\" read as where the food came from"), "{e:?}");
    // What the brand's foods only come with is not the food asked for.
    let e = run(shipped(), "cheese and medium fries from BK");
    assert_eq!(ids(&e), ["01009", "21249"], "{:?}", e.items);
    // Two of the restaurant's items are not one food restated: the fries are counted.
    let e = run(shipped(), "applebees: 9oz sirloin, fries, & I had 3 of the mozzarella sticks");
    assert_eq!(ids(&e), ["36000", "36002", "36004"], "{:?}", e.items);
    // ... unless the item itself is named too: "soft tacos (beef)" is the "Soft Taco with beef".
    let e = run(shipped(), "taco bell: 2 soft tacos (beef), 1 bean burrito");
    assert_eq!(ids(&e), ["21261", "21264"], "{:?}", e.items);
    // Alone, the name is the food it stands for; with two brands named, neither decides.
    assert_eq!(run(shipped(), "had kfc").items.len(), 1);
    let e = run(shipped(), "wendys fries and kfc coleslaw");
    assert!(e.items.iter().flat_map(|i| &i.assumptions).all(|a| !a.contains("the list names")), "{:?}", e.items);
}

#[test]
fn connecting_words_inside_a_dish_name_do_not_split_it() {
    let e = run(shipped(), "sweet n sour chicken");
    assert_eq!(e.items.len(), 1, "{:?}", e.items);
    assert!(e.items[0].food.contains("sweet and sour chicken"), "{:?}", e.items[0]);
    let e = run(shipped(), "ham & cheese sandwich");
    assert!(e.items.iter().all(|i| i.dish.is_some()), "{:?}", e.items);
}

#[test]
fn the_number_on_a_multivitamin_s_name_is_not_its_zinc() {
    let e = run(shipped(), "centrum silver 50+, 2 eggs");
    assert!(e.supplements.is_empty(), "{:?}", e.supplements);
    assert_eq!(e.unrecognized, ["centrum silver 50+"]);
    assert!(e.suggestions[0].hint.as_deref().is_some_and(|h| h.contains("zinc amount from the label")), "{e:?}");
    let e = run(shipped(), "multivitamin 15 mg zinc");
    assert_eq!(e.supplements[0].elemental_zinc_mg, 15.0);
}

#[test]
fn a_part_of_a_dish_not_eaten_is_left_out_and_said() {
    for text in ["test sandwich, didn't eat the bread", "test sandwich no bread"] {
        let e = run(test_estimator(), text);
        assert_eq!(e.items.iter().map(|i| i.food_id.as_str()).collect::<Vec<_>>(), ["07254"], "{text}");
        assert!(e.items[0].assumptions.iter().any(|a| a.contains("read as not eaten") && a.contains("56 g")), "{e:?}");
        assert!((e.food_zinc_mg - e.items[0].zinc_mg).abs() < 0.011, "{e:?}");
    }
    // A burger "lettuce wrapped" or "protein style" is read as one with no bun (lexicon read_as).
    for text in ["cheeseburger lettuce wrapped", "cheeseburger (protein style), fries"] {
        let e = run(shipped(), text);
        assert!(e.items.iter().any(|i| i.food_id == "23568"), "{text}: {e:?}");
        assert!(e.items.iter().all(|i| i.food_id != "18350" && i.food_id != "11251"), "{text}: {e:?}");
    }
    // Something not eaten that is no part of the dish is only noted.
    let e = run(shipped(), "2 eggs, no fries");
    assert_eq!(e.items.len(), 1, "{e:?}");
    assert!(e.items[0].assumptions.iter().any(|a| a.contains("\"no fries\" read as not eaten")), "{e:?}");
}

#[test]
fn a_food_named_then_listed_with_its_amount_is_counted_once() {
    let e = run(shipped(), "tofu scramble: half a block of firm tofu, handful spinach");
    assert_eq!(e.items.len(), 2, "{:?}", e.items);
    assert!(e.items[0].assumptions[0].contains("read as a heading"), "{:?}", e.items[0]);
    // A can with no USDA weight of its own is the median USDA can.
    let e = run(shipped(), "half a tin of heinz beans");
    assert_eq!(e.items[0].food_id, "16006");
    assert!(e.items[0].assumptions.iter().any(|a| a.contains("median of USDA's")), "{:?}", e.items[0]);
}

#[test]
fn a_share_of_a_batch_counts_that_share_of_its_recipe() {
    let whole = run(shipped(), "shepherd's pie (500 g raw lamb mince, 1 kg potatoes, 2 carrots)");
    let quarter =
        run(shipped(), "shepherd's pie (500 g raw lamb mince, 1 kg potatoes, 2 carrots), had about a quarter of it");
    assert_eq!(quarter.items.len(), whole.items.len(), "{quarter:?}");
    assert!((quarter.food_zinc_mg - whole.food_zinc_mg / 4.0).abs() < 0.01, "{quarter:?}");
    assert!(quarter.unrecognized.is_empty(), "{quarter:?}");
    assert!(quarter.items.iter().all(|i| i.assumptions.iter().any(|a| a.contains("1/4 of the amount"))), "{quarter:?}");
    // A recipe is weighed as bought: its mince is raw (17224), where mince on a plate is cooked.
    let batch = run(shipped(), "shepherd's pie (500 g lamb mince, 1 kg potatoes), had about a quarter of it");
    assert_eq!(batch.items[0].food_id, "17224", "{batch:?}");
    assert_ne!(run(shipped(), "125 g lamb mince").items[0].food_id, "17224");
    // What is eaten with the share is counted whole, and a share with no heading is of the
    // entry just before it.
    let e = run(shipped(), "1 tin chickpeas, 150 g cooked rice, had a third of it over 100 g spinach");
    let by_id = |id: &str| e.items.iter().find(|i| i.food_id == id).unwrap_or_else(|| panic!("{id}: {e:?}"));
    assert_eq!(by_id("20045").grams, 50.0);
    assert!(!by_id("16358").assumptions.iter().any(|a| a.contains("of the amount")), "{e:?}");
    assert_eq!(e.items.len(), 3, "{e:?}");
    // Default portions are one person's already; "half an avocado" is no share.
    let e = run(shipped(), "pasta bake (pasta, tuna, sweetcorn) - had half of it");
    assert!(e.items.iter().all(|i| !i.assumptions.iter().any(|a| a.contains("of the amount"))), "{e:?}");
    // Shared at the table, a default portion is shared too; who with is no food.
    let whole = run(shipped(), "large pizza");
    let split = run(shipped(), "large pizza, split it with my brother");
    assert_eq!(split.items.len(), whole.items.len(), "{split:?}");
    assert!((split.food_zinc_mg - whole.food_zinc_mg / 2.0).abs() < 0.01, "{split:?}");
    assert!(split.unrecognized.is_empty(), "{split:?}");
    let e = run(shipped(), "half an avocado, 8 oz steak, half");
    assert_eq!(e.items[0].grams, 100.5, "{e:?}");
    assert_eq!(e.items[1].grams, 113.4, "{e:?}");
    assert!(e.items[1].assumptions.iter().any(|a| a.contains("1/2 of the amount")), "{e:?}");
}

#[test]
fn a_share_of_one_serving_as_it_came_counts_that_share_of_it() {
    // A box or a plate is one serving, so a share of it is a share even of a default portion,
    // said once on the dish and not on each of its parts; "of it" after a default is no share.
    let whole = run(shipped(), "pad thai");
    for text in ["pad thai, ate about 2/3 of the box", "pad thai, had two thirds of my plate"] {
        let e = run(shipped(), text);
        assert_eq!(e.items.len(), whole.items.len(), "{e:?}");
        assert!((e.food_zinc_mg - whole.food_zinc_mg * 2.0 / 3.0).abs() < 0.01, "{text}: {e:?}");
        let said = e.items.iter().filter(|i| i.assumptions.iter().any(|a| a.contains("2/3 of the amount")));
        assert_eq!(said.count(), 1, "{e:?}");
    }
    assert_eq!(run(shipped(), "pad thai, ate about 2/3 of it").food_zinc_mg, whole.food_zinc_mg);
}

#[test]
fn a_part_named_with_a_dish_that_makes_no_other_dish_leaves_the_dish_whole() {
    // The burger was lost in "cheeseburger with lettuce" when the two were read as one name.
    let e = run(shipped(), "cheeseburger with lettuce and tomato");
    assert!(e.items.iter().any(|i| i.food_id == "23568"), "{e:?}");
    // Joined when they make another dish, and a name with "with" in it is still that item.
    assert!(run(shipped(), "pad thai with tofu").items[0].assumptions[0].contains("tofu pad thai"));
    assert_eq!(run(shipped(), "whopper w cheese").items[0].food_id, "21253");
    let e = run(shipped(), "burrito with beans");
    assert_eq!(e.items.iter().map(|i| i.food_id.as_str()).collect::<Vec<_>>(), ["21060"], "{e:?}");
}

#[test]
fn what_was_left_out_of_a_dish_restates_none_of_it() {
    // "no egg, no fish sauce" are not parts said again: the tofu after them still counts.
    let e = run(shipped(), "vegan pad thai - no egg, no fish sauce, tofu");
    assert!(e.items.iter().any(|i| i.input == "tofu"), "{e:?}");
}

#[test]
fn a_meat_in_black_bean_sauce_is_the_takeaway_dish_not_black_beans() {
    for (text, ndb) in [("beef in black bean sauce", "36603"), ("chicken in black bean sauce", "36626")] {
        let ids: Vec<String> = run(shipped(), text).items.into_iter().map(|i| i.food_id).collect();
        assert_eq!(ids, [ndb], "{text}");
    }
    // A misspelt dish name is read before the list is split: one sandwich, not chicken and one.
    let e = run(shipped(), "chicken & bacon sandwhich");
    assert!(e.items.iter().all(|i| i.input == "chicken and bacon sandwich"), "{e:?}");
}

#[test]
fn a_meatless_chilli_is_a_bean_chilli_not_chilli_con_carne() {
    for text in ["vegan chilli", "3 bean chilli", "veggie chili"] {
        let e = run(shipped(), text);
        let ids: Vec<&str> = e.items.iter().map(|i| i.food_id.as_str()).collect();
        assert!(ids.contains(&"16033") && !ids.contains(&"22904"), "{text}: {ids:?}");
    }
    let e = run(shipped(), "chilli con carne");
    assert!(e.items.iter().any(|i| i.food.contains("meat")), "{e:?}");
}

#[test]
fn an_entry_that_is_only_an_amount_weighs_the_food_before_it() {
    let e = run(shipped(), "salmon, about 150g, rice, 1 cup");
    assert_eq!(e.items.iter().map(|i| i.grams).collect::<Vec<_>>(), [150.0, 158.0], "{e:?}");
    assert!(e.unrecognized.is_empty(), "{e:?}");
    // Not a food that had its own amount, nor one on another line: those stay unrecognised.
    for text in ["2 eggs, 150g", "salmon\n150g"] {
        let e = run(shipped(), text);
        assert_eq!(e.unrecognized, ["150g"], "{text}: {e:?}");
    }
    // Tablets still count doses of the supplement before them.
    let e = run(shipped(), "zinc picolinate 30 mg, 2 tablets");
    assert_eq!(e.supplements[0].elemental_zinc_mg, 60.0, "{e:?}");
    assert!(e.unrecognized.is_empty(), "{e:?}");
}

#[test]
fn a_weight_beside_part_of_a_tin_is_the_tin_when_it_is_near_a_whole_one() {
    // Half of a 400 g tin, however it is typed.
    for text in [
        "half a tin of baked beans (400g)",
        "half a tin of baked beans (the 415g one)",
        "half a 400g tin of baked beans",
    ] {
        let e = run(shipped(), text);
        let grams = e.items[0].grams;
        assert!((200.0..=207.5).contains(&grams), "{text}: {e:?}");
    }
    // A weight far from a whole tin's is what was eaten.
    let e = run(shipped(), "half a tin of baked beans (120g)");
    assert_eq!(e.items[0].grams, 120.0, "{e:?}");
}

#[test]
fn a_flavour_is_not_a_food() {
    let e = run(shipped(), "2 packs instant noodles (chicken flavour)");
    assert!(e.items.iter().all(|i| i.food_id != "05013" && !i.food.to_lowercase().contains("chicken")), "{e:?}");
    assert_eq!(e.items[0].grams, 162.0, "two packages of USDA's 81 g: {e:?}");
    let e = run(shipped(), "beef flavoured crisps");
    assert!(e.items.iter().all(|i| !i.food.starts_with("Beef")), "{e:?}");
    // Without the flavour word the food is read as before.
    let e = run(shipped(), "noodles with chicken");
    assert!(e.items.iter().any(|i| i.food.starts_with("Chicken")), "{e:?}");
}

#[test]
fn a_bracket_of_parts_with_amounts_heads_them_and_one_amount_belongs_to_the_food() {
    let e = run(shipped(), "egg stew (3 eggs, 2 tomatoes, 1 onion)");
    let inputs: Vec<&str> = e.items.iter().map(|i| i.input.as_str()).collect();
    assert_eq!(inputs, ["3 eggs", "2 tomatoes", "1 onion"], "the stew is counted through its parts: {e:?}");
    let e = run(shipped(), "salmon (6oz, grilled)");
    assert_eq!(e.items.len(), 1, "{e:?}");
    assert!((e.items[0].grams - 170.1).abs() < 0.1, "6 oz of salmon: {e:?}");
    assert!(e.unrecognized.is_empty(), "{e:?}");
}

#[test]
fn a_dish_named_vegan_or_vegetarian_is_made_without_its_meat() {
    let ids = |text: &str| -> Vec<String> { run(shipped(), text).items.iter().map(|i| i.food_id.clone()).collect() };
    // The shipped pad thai has chicken breast (05064) and an egg (01123).
    assert!(ids("pad thai").contains(&"05064".to_string()));
    let e = run(shipped(), "vegan pad thai");
    assert!(e.items.iter().all(|i| i.food_id != "05064" && i.food_id != "01123"), "{e:?}");
    assert!(e.items[0].assumptions.iter().any(|a| a.contains("left out of a vegan dish")), "{e:?}");
    assert!(!e.items[0].assumptions.iter().any(|a| a.contains("also saw")), "{e:?}");
    let e = run(shipped(), "vegetarian pad thai");
    assert!(e.items.iter().any(|i| i.food_id == "01123"), "a meatless dish keeps its egg: {e:?}");
    assert!(e.items.iter().all(|i| i.food_id != "05064"), "{e:?}");
}

#[test]
fn a_bracket_of_what_was_left_out_takes_it_out_of_the_dish() {
    // Read as the dish and two entries not eaten, not as fish sauce.
    let e = run(shipped(), "pad thai (no egg, no fish sauce) with tofu");
    assert!(e.items.iter().all(|i| i.food_id != "01123" && i.food_id != "06179"), "{e:?}");
    assert!(e.items.iter().any(|i| i.food_id == "20134"), "the noodles are counted: {e:?}");
    assert!(e.items.iter().any(|i| i.assumptions.iter().any(|a| a.contains("\"no egg\" read as not eaten"))), "{e:?}");
}

/// An amount typed after a dish's name, bare or in brackets, counts it: "pad thai (2 plates)" is
/// two plates, not one plate and an unknown "plates". A number before another food still
/// starts that food ("pad thai and 2 spring rolls").
#[test]
fn an_amount_after_a_dish_name_counts_the_dish() {
    let one = grams(&run(shipped(), "pad thai"));
    for text in ["pad thai 2 plates", "pad thai (2 plates)", "2 plates of pad thai"] {
        let two = run(shipped(), text);
        assert_eq!(grams(&two), one.iter().map(|g| g * 2.0).collect::<Vec<_>>(), "{text}");
        assert!(
            two.items[0].assumptions.iter().all(|a| !a.contains("also saw")),
            "{text}: {:?}",
            two.items[0].assumptions
        );
    }
    let porridge = run(shipped(), "porridge with milk (2 bowls)");
    assert_eq!(grams(&porridge), grams(&run(shipped(), "2 bowls of porridge with milk")));
    let with_rolls = run(shipped(), "pad thai and 2 spring rolls");
    assert_eq!(grams(&with_rolls)[..one.len()], one[..], "the rolls' number is not the pad thai's");
}

/// Tea or coffee with milk is a cup with a splash of milk (USDA 1 fl oz), however many cups.
#[test]
fn milk_in_tea_is_a_splash() {
    let e = run(shipped(), "tea with milk x5");
    let ids: Vec<&str> = e.items.iter().map(|i| i.food_id.as_str()).collect();
    assert_eq!(ids, ["14355", "01077"]);
    assert_eq!(grams(&e), [1185.0, 152.5]);
    let coffee = run(shipped(), "2 coffees w milk");
    assert_eq!(coffee.items.iter().map(|i| i.food_id.as_str()).collect::<Vec<_>>(), ["14209", "01077"]);
    assert_eq!(grams(&coffee), [474.0, 61.0]);
}

/// A later sentence that names a dish already counted and lists what was in it describes that
/// dish: it is counted once. The same dish named again without its contents is a second one.
#[test]
fn a_dish_described_again_in_a_later_sentence_is_counted_once() {
    let once = grams(&run(shipped(), "okra soup with eba"));
    let described = run(shipped(), "okra soup with eba. okra soup had okra, ugu, beef, shaki, stockfish & palm oil");
    assert_eq!(grams(&described), once);
    assert!(described.items[0].assumptions.iter().any(|a| a.contains("read as what is in it")));
    let twice = run(shipped(), "okra soup for lunch. okra soup again for dinner");
    assert_eq!(grams(&twice).len(), 2 * grams(&run(shipped(), "okra soup")).len());
}

/// A dish titled with a dash over weighed foods is their heading, as with a colon; when what
/// follows the dash may be the dish's own amount, the dish is still counted.
#[test]
fn a_dish_title_before_a_dash_over_weighed_foods_is_a_heading() {
    let titled = run(shipped(), "rice and stew - 1.5 cups white rice, 2 pieces of turkey");
    assert!(titled.items.iter().all(|i| i.dish.is_none()), "{:?}", titled.items);
    assert!(titled.items[0].assumptions.iter().any(|a| a.contains("read as a heading")));
    assert_eq!(grams(&titled), grams(&run(shipped(), "1.5 cups white rice, 2 pieces of turkey")));
    let plate = run(shipped(), "pancit bihon - had a full paper plate + 2 lumpia shanghai");
    assert!(
        plate.items.iter().any(|i| i.dish.as_deref().is_some_and(|d| d.starts_with("pancit"))),
        "{:?}",
        plate.items
    );
}

/// Chai is tea brewed in milk, half and half, with a teaspoon of sugar; a quarter chicken
/// typed as a fraction is the dish; a salad alone is a side salad, not a salad spread.
#[test]
fn chai_a_quarter_chicken_and_a_salad_are_dishes() {
    let chai = run(shipped(), "mug of chai");
    let ids: Vec<&str> = chai.items.iter().map(|i| i.food_id.as_str()).collect();
    assert_eq!(ids, ["14355", "01077", "19335"]);
    assert!(chai.items[1].grams > 100.0, "{:?}", chai.items[1]);
    let quarter = run(shipped(), "1/4 chicken leg (hot), regular peri chips");
    assert_eq!(quarter.items[0].grams, 149.5, "{:?}", quarter.items[0]);
    assert!(quarter.items[0].dish.as_deref().is_some_and(|d| d.starts_with("quarter chicken")));
    let salad = run(shipped(), "a bowl of the salad");
    assert!(salad.items.iter().all(|i| !i.food.starts_with("Ham salad")), "{:?}", salad.items);
    assert!(salad.items[0].dish.as_deref().is_some_and(|d| d.starts_with("side salad")));
}

/// Scottish and Tex-Mex dishes and chain items typed as their names; a seasoning named like a
/// dish is the seasoning.
#[test]
fn scottish_and_tex_mex_names_are_dishes() {
    let dish_of = |text: &str| run(shipped(), text).items[0].dish.clone().unwrap_or_default();
    assert!(dish_of("scotch pie").starts_with("scotch pie"));
    assert!(dish_of("a bowl of cullen skink").starts_with("cullen skink"));
    assert!(dish_of("2 plates of stovies").starts_with("stovies"));
    assert!(dish_of("leftover carne guisada").starts_with("carne guisada"));
    assert!(dish_of("fideo con pollo, big bowl").starts_with("fideo con pollo"));
    assert!(dish_of("canes box combo").starts_with("canes box combo"));
    assert_eq!(run(shipped(), "carne asada 6 oz").items[0].food_id, "23541");
    // Tajin is a chili seasoning, not a tagine.
    let tajin = run(shipped(), "apple w tajin");
    assert!(tajin.items.iter().all(|i| i.dish.is_none()), "{:?}", tajin.items);
}

/// A dish followed by names of its parts with no amount is counted whole, the names as what is
/// in it; a food after them that is not a part is eaten beside it.
#[test]
fn parts_named_after_a_dish_describe_it() {
    let e = run(shipped(), "caldo de res, big bowl w corn, carrot, potato + a scoop of rice");
    let dish = run(shipped(), "caldo de res");
    let rice = run(shipped(), "a scoop of rice");
    assert_eq!(e.items.len(), dish.items.len() + rice.items.len(), "{:?}", e.items);
    assert!((e.total_zinc_mg - dish.total_zinc_mg - rice.total_zinc_mg).abs() < 0.02);
}

/// South Asian breakfasts and sides by their names; a whole slice is one slice, not a whole pie.
#[test]
fn south_asian_names_are_dishes_and_a_whole_slice_is_one() {
    let dish_of = |text: &str| run(shipped(), text).items[0].dish.clone().unwrap_or_default();
    assert!(dish_of("halwa puri").starts_with("halwa puri"));
    assert!(dish_of("sarson ka saag").starts_with("sarson ka saag"));
    assert!(dish_of("2 makki ki rotis").starts_with("makki ki roti"));
    assert!(dish_of("couple of poppadoms").starts_with("poppadom"));
    assert!(dish_of("chicken salan").starts_with("chicken curry"));
    let slice: f64 = run(shipped(), "a slice of pepperoni pizza").items.iter().map(|i| i.grams).sum();
    let whole_slice: f64 = run(shipped(), "a whole slice of pepperoni pizza").items.iter().map(|i| i.grams).sum();
    assert_eq!(whole_slice, slice);
    let pie: f64 = run(shipped(), "a whole pepperoni pizza").items.iter().map(|i| i.grams).sum();
    assert_eq!(pie, 8.0 * slice);
}

/// A roast dinner named and then listed part by part is counted by its parts once, though some
/// parts are dishes of one food ("roasties", "gravy"); British names for potatoes are read.
#[test]
fn a_roast_listed_by_its_parts_is_counted_once() {
    let e = run(shipped(), "sunday roast at mums. roast beef, roasties, a yorkshire, carrots n peas, gravy");
    let beef = e.items.iter().filter(|i| i.food.starts_with("Beef")).count();
    assert_eq!(beef, 1, "{:?}", e.items);
    let tatties = run(shipped(), "boiled tatties");
    assert!(tatties.items[0].food.starts_with("Potatoes, boiled"), "{:?}", tatties.items);
    // Names are read as lists are: "spaghetti o's" is still the tinned pasta, not "of".
    assert!(run(shipped(), "spaghetti o's").items[0].food.starts_with("SPAGHETTIOS"));
}

/// South Indian meals by name; plates after a dish are how many servings, never a food.
#[test]
fn south_indian_meals_and_plates_of_a_dish() {
    let dish_of = |text: &str| run(shipped(), text).items[0].dish.clone().unwrap_or_default();
    assert!(dish_of("leftover bisibelebath").starts_with("bisibelebath"));
    assert!(dish_of("sakkarai pongal").starts_with("sakkarai pongal"));
    assert!(dish_of("1 vadai").starts_with("vada"));
    assert!(dish_of("2 gulab jamun").starts_with("gulab jamun"));
    let one = run(shipped(), "rasam sadam").total_zinc_mg;
    let two = run(shipped(), "rasam sadam, 2 plates");
    assert!((two.total_zinc_mg - 2.0 * one).abs() < 0.02, "{:?}", two.items);
    assert!(two.items.iter().all(|i| !i.food.contains("CRACKER BARREL")), "{:?}", two.items);
}

#[test]
fn chains_sr28_lacks_are_counted_by_their_typical_recipe() {
    let e = run(shipped(), "in-n-out 3x3 protein style (lettuce wrap), no fries");
    assert!(e.items.iter().all(|i| i.dish.as_deref().is_some_and(|d| d.contains("3x3"))), "{:?}", e.items);
    assert!(e.items.iter().all(|i| !i.food.starts_with("Rolls")), "no bun: {:?}", e.items);
    let e = run(shipped(), "zaxbys 5 finger plate");
    assert!(e.items.iter().any(|i| i.food.contains("chicken tenders")), "{:?}", e.items);
    let e = run(shipped(), "greggs vegan sausage roll x2");
    assert!(e.items.iter().any(|i| i.food.starts_with("Sausage, meatless")), "{:?}", e.items);
    // A Tim Hortons double double is coffee, not an In-N-Out burger.
    let e = run(shipped(), "tim hortons double double");
    assert!(e.items.iter().all(|i| !i.food.starts_with("Beef")), "{:?}", e.items);
}

#[test]
fn cocktail_sausages_are_counted_one_small_sausage_each() {
    // They had been Italian sausages at 83 g each: 8 were 664 g.
    let e = run(shipped(), "8 cocktail sausages");
    assert_eq!(e.items.len(), 1, "{:?}", e.items);
    assert_eq!(e.items[0].grams, 120.0, "{:?}", e.items);
}
