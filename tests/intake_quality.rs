//! The intake quality set: food lists typed the way people type in chat, each with its zinc
//! total computed by hand from USDA SR28 and a tolerance. At least 95 % must pass, and food lists
//! are not mistaken for emergencies (every shell checks for urgent guidance first).

use std::path::Path;

use serde::Deserialize;
use zincbot::advisor::Advisor;
use zincbot::ask::AskStatus;
use zincbot::intake::Estimate;

#[derive(Deserialize)]
struct Set {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    input: String,
    zinc_mg: Option<f64>,
    tolerance_mg: Option<f64>,
    #[serde(default = "ok")]
    status: String,
    #[serde(default)]
    unrecognized: Vec<String>,
    work: Option<String>,
}

fn ok() -> String {
    "ok".into()
}

/// Why a case failed, or `None` when it passed.
fn judge(case: &Case, e: &Estimate) -> Option<String> {
    let status = serde_json::to_value(e.status).unwrap();
    if status != case.status.as_str() {
        return Some(format!("status {status}, expected {}", case.status));
    }
    if let (Some(want), Some(tolerance)) = (case.zinc_mg, case.tolerance_mg) {
        if (e.total_zinc_mg - want).abs() > tolerance + 1e-9 {
            return Some(format!("zinc {} mg, expected {want} ± {tolerance}", e.total_zinc_mg));
        }
    }
    for phrase in &case.unrecognized {
        if !e.unrecognized.iter().any(|u| u.contains(phrase.as_str())) {
            return Some(format!("{phrase:?} not in unrecognized {:?}", e.unrecognized));
        }
    }
    None
}

fn load(file: &str) -> (Advisor, Set) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let advisor = Advisor::load(&root.join("content")).expect("content loads");
    let text = std::fs::read_to_string(root.join("tests/data").join(file)).unwrap();
    (advisor, toml::from_str(&text).unwrap())
}

#[test]
fn food_lists_are_not_taken_for_emergencies() {
    let (advisor, set) = load("intake_quality.toml");
    let urgent: Vec<&str> = set
        .case
        .iter()
        .map(|c| c.input.as_str())
        .filter(|text| advisor.ask(text).status == AskStatus::Urgent)
        .collect();
    println!("food lists given urgent guidance: {} of {}: {urgent:?}", urgent.len(), set.case.len());
    // Measured: 1 of 191 ("1 lb ground beef and 2 cups pasta", by the classifier).
    assert!(urgent.len() * 100 <= set.case.len(), "{urgent:?}");
}

/// Runs the cases of `file` and returns the share that passes, printing each failure unless the
/// set is held out (then only the figure is printed, so nothing is tuned on it).
fn pass_rate(file: &str, held_out: bool) -> f64 {
    let (advisor, set) = load(file);
    assert!(set.case.len() >= 40, "{file} has {} cases", set.case.len());
    let profile = advisor.estimator().reference.default();
    let mut failures = Vec::new();
    for case in &set.case {
        let e = advisor.intake(&case.input, profile);
        if let Some(why) = judge(case, &e) {
            let items: Vec<String> =
                e.items.iter().map(|i| format!("{} -> {} {}g {}mg", i.input, i.food_id, i.grams, i.zinc_mg)).collect();
            failures.push(format!(
                "{:?}: {why}\n    got: {}\n    work: {}",
                case.input,
                items.join("; "),
                case.work.as_deref().unwrap_or("")
            ));
        }
    }
    let passed = set.case.len() - failures.len();
    let rate = 100.0 * passed as f64 / set.case.len() as f64;
    println!("{file}: {passed} of {} cases pass ({rate:.1} %)", set.case.len());
    if !held_out {
        for f in &failures {
            println!("FAIL {f}");
        }
    }
    rate
}

#[test]
fn at_least_95_percent_of_the_quality_set_passes() {
    let rate = pass_rate("intake_quality.toml", false);
    assert!(rate >= 95.0, "{rate:.1} % pass, below 95 %");
}

/// Dishes, restaurant items and products, written by a dietitian and her group's members with
/// their own recipes; tuned on.
#[test]
fn dish_set_figures() {
    let rate = pass_rate("intake_dishes.toml", false);
    assert!(rate >= DISH_FLOOR, "{rate:.1} % pass, below {DISH_FLOOR} %");
}

/// Written by other writers at the same time and never looked at: only its figure is printed.
#[test]
fn held_out_dish_set_figures() {
    let rate = pass_rate("intake_dishes_holdout.toml", true);
    assert!(rate >= DISH_HOLDOUT_FLOOR, "{rate:.1} % pass, below {DISH_HOLDOUT_FLOOR} %");
}

/// A second pair by two more writers (UK and US students, pub-goers, Nigerian-British and
/// Filipino-American cooking, carnivore and vegan days; and Canadian and Australian families,
/// Vietnamese, Lebanese and Mexican-American cooking, gas-station food, AIP batch cooking):
/// `intake_dishes2.toml` is tuned on, `intake_dishes_holdout2.toml` held out.
#[test]
fn second_dish_sets_figures() {
    let rate = pass_rate("intake_dishes2.toml", false);
    assert!(rate >= DISH2_FLOOR, "{rate:.1} % pass, below {DISH2_FLOOR} %");
    let rate = pass_rate("intake_dishes_holdout2.toml", true);
    assert!(rate >= DISH2_HOLDOUT_FLOOR, "{rate:.1} % pass, below {DISH2_HOLDOUT_FLOOR} %");
}

/// A third set by three more writers (an Ohio mom on drive-thrus and casseroles, a
/// British-Pakistani man on home cooking and curry-house takeaways, a Melbourne student with
/// type 1 diabetes logging carbs beside her meals): tuned on after its first figure was taken.
#[test]
fn third_dish_set_figures() {
    let rate = pass_rate("intake_dishes3.toml", false);
    assert!(rate >= DISH3_FLOOR, "{rate:.1} % pass, below {DISH3_FLOOR} %");
}

/// A fourth pair by four more writers, each measured before any change was made for it
/// (a Mexican-American mom in Texas with lupus, and a retired Glasgow man with RA, tuned on;
/// a Korean-American designer in Los Angeles with Hashimoto's, and a Toronto student with
/// Crohn's, mostly vegan, held out and never looked at: only their figure is printed).
#[test]
fn fourth_dish_sets_figures() {
    let rate = pass_rate("intake_dishes4.toml", false);
    assert!(rate >= DISH4_FLOOR, "{rate:.1} % pass, below {DISH4_FLOOR} %");
    let rate = pass_rate("intake_dishes_holdout3.toml", true);
    assert!(rate >= DISH4_HOLDOUT_FLOOR, "{rate:.1} % pass, below {DISH4_HOLDOUT_FLOOR} %");
}

/// A fifth set by three more writers, measured before any change was made for it (a Dublin
/// mum with coeliac disease, a Tamil vegetarian in New Jersey with RA, a man in Atlanta with
/// lupus on soul food and Southern chains): tuned on.
#[test]
fn fifth_dish_set_figures() {
    let rate = pass_rate("intake_dishes5.toml", false);
    assert!(rate >= DISH5_FLOOR, "{rate:.1} % pass, below {DISH5_FLOOR} %");
}

/// A sixth set by one more writer, measured before any change was made for it (a retired
/// Japanese-American teacher in Honolulu with RA: plate lunch, okazuya, zinc tablets counted one
/// by one): tuned on. Beside it a fourth held-out set by two more writers (a Nigerian-American
/// nurse in Houston with lupus, a Polish-born mum in Leeds with Hashimoto's and psoriasis),
/// written in the same session and never read: only its figure is printed.
#[test]
fn sixth_dish_sets_figures() {
    let rate = pass_rate("intake_dishes6.toml", false);
    assert!(rate >= DISH6_FLOOR, "{rate:.1} % pass, below {DISH6_FLOOR} %");
    let rate = pass_rate("intake_dishes_holdout4.toml", true);
    assert!(rate >= DISH6_HOLDOUT_FLOOR, "{rate:.1} % pass, below {DISH6_HOLDOUT_FLOOR} %");
}

/// A seventh pair by six more writers, each measured before any change was made for it: a
/// Mexican-American grandmother in East Los Angeles with RA, a Townsville mum with psoriatic
/// arthritis, and a Filipino-Canadian nurse in Winnipeg with lupus, tuned on; a Tamil-American
/// engineer in New Jersey with type 1 diabetes, a Korean-American student in Los Angeles with
/// Crohn's, and a Ghanaian-British mum in Croydon caring for a son with type 1 diabetes, held
/// out and never looked at: only their figure is printed.
#[test]
fn seventh_dish_sets_figures() {
    let rate = pass_rate("intake_dishes7.toml", false);
    assert!(rate >= DISH7_FLOOR, "{rate:.1} % pass, below {DISH7_FLOOR} %");
    let rate = pass_rate("intake_dishes_holdout5.toml", true);
    assert!(rate >= DISH7_HOLDOUT_FLOOR, "{rate:.1} % pass, below {DISH7_HOLDOUT_FLOOR} %");
}

/// Regression floors: the figures last measured, rounded down; the goal is 95 %.
/// 68 % once a footlong was 12 inches and a dish's bracket of what was left out ("vegan pad thai
/// (no egg, no fish sauce)") took those parts out instead of naming the food; 69 % once
/// "crumbled" and "grated" were preparation words ("30 g feta crumbled" had become apple crumble);
/// 70 % with guacamole, paella, risotto and patatas bravas as dishes; 72 % once a dish followed
/// by only the names of what is in it was counted whole; 73 % with half chickens; 72 % once what
/// a food was cooked in became an entry of its own (a shakshuka's sauce at USDA's cup); 71 %
/// once everyday words one letter from a food stopped being read as it (a curry had passed
/// only because "checked" became a second helping of chicken); 72 % once a word saying which
/// food outranked a measure word in a name ("wild salmon fillet" had been farmed salmon); 73 %
/// once a lamb chop was weighed by USDA's chop (64 g) rather than a loin steak (53 g); 74 % once
/// an amount after a dish's name counted it ("pad thai (2 plates)" had been one plate) and tea or
/// coffee with milk was a cup with a splash of milk (it had been a cup of milk).
const DISH_FLOOR: f64 = 74.0;
/// The held-out figure went from 48 % to 54 % when a dish whose parts are listed after it
/// became their heading, connecting words inside dish names stopped splitting them, and
/// places, times and what was not eaten stopped being read as food; 58 % with the dishes of
/// `more-world.toml`; 57 % once an entry that is only an amount ("suya, about 200g") weighed the
/// food before it, which moved one list of each held-out set out of and into tolerance; 58 %
/// once a typo is only corrected to a word with its first letter and "made" is filler; 57 % once
/// a food counted in cans became the canned food (drained canned chickpeas, not boiled ones),
/// which took the second tuning set from 55 % to 57 %; 58 % again once a footlong was 12 inches;
/// 57 % once "basmati" alone named rice (before, it was listed as not recognised), which moved
/// one list of each held-out set out of tolerance and one of the second tuning set into it;
/// 56 % once "brisket" was the whole cut, lean and fat (two lists of the second tuning set
/// into tolerance, one of this set out); 55 % with the amount after a dish's name and the splash
/// of milk in tea (one list out of tolerance; the second held-out set unchanged); 56 % with the
/// dishes, names and readings added for the fourth and fifth sets; 57 % with the first changes
/// made for the sixth set (doses said after a supplement, shares of a meal, chains SR28 lacks),
/// and 56 % again with the last of them (stir fries, spoonfuls by eye, chocolate squares).
const DISH_HOLDOUT_FLOOR: f64 = 56.0;
/// First measured at 44 % and 39 %; 48 % and 39 % after the changes above; 46 % and 36 % once
/// `more-world.toml` added 136 dishes (12 fewer entries unrecognised on the two tuning sets,
/// but some recipes further from the writers' than what their names fell back to before); 45 %
/// once "wholemeal" alone named the bread (a list that passed by two errors cancelling out);
/// 46 % and 37 % once an entry that is only an amount weighed the food before it; 48 % and 38 %
/// once a weight beside part of a tin could be the tin's and flavours stopped being foods; 49 %
/// and 40 % once a bracket of parts with amounts headed them whatever the food before it; 50 %
/// once Linda McCartney sausages were meatless; 51 % and 41 % once a typo kept its first letter;
/// 53 % and 41 % once a colon heading over two or more weighed entries ("spag bol for 1: 100 g
/// spaghetti, 125 g mince") stopped counting as food itself, which also took the first set from
/// 66 % to 65 % (a list that passed only by that double count) and left both held-out sets as
/// they were; 55 % and 41 % (66 % on the first set) once a list naming one restaurant USDA
/// lists ("dennys: top sirloin") counted that restaurant's own items; 57 % once a food counted
/// in cans became the canned food and a dish's parts restated in other words ("bangers n mash -
/// 3 sausages, mash") were recognised by their head noun; 59 % once a recipe someone ate a share
/// of was weighed as bought (raw mince), which took the second held-out set from 42 % to 41 %;
/// 61 % once a food weighed dry was the dry food ("75 g gf fusilli (dry weight)") and
/// gluten-free pasta and "basmati" had chat names; 62 % once a restaurant's item could be named
/// with what it comes with ("2 soft tacos (beef)" at Taco Bell); 63 % once a share of one
/// serving as it came ("ate about 2/3 of the box") was taken of a default portion and "from"
/// ended a food's name ("pad thai w tofu from Thai Orchid"); 64 % once "beef in black bean
/// sauce" was the takeaway dish (it had been black beans) and "sandwhich" was read as sandwich;
/// 66 % once "brisket" was the whole cut, lean and fat, as served (it had been the lean flat);
/// 67 % once a dish described again in a later sentence ("okra soup had okra, beef, shaki") was
/// counted once (no held-out list changed); 68 % once a part a food has no USDA weight for was
/// weighed as in a food of its kind ("3 chicken wings" roasted, at USDA's wing of fried ones);
/// 71 % with the changes made for the sixth set ("ate half (skin and all)", an In-N-Out 3x3,
/// Greggs' vegan sausage roll).
const DISH2_FLOOR: f64 = 71.0;
/// The second held-out set went to 42 % once a footlong was 12 inches, and back to 41 % once a
/// share eaten with others ("split it with my brother") counted that share of default portions;
/// 40 % once "basmati" alone named rice (see the first held-out set); 41 % with half chickens,
/// 42 % with a restaurant's item named with what it comes with, 43 % once what a food was
/// cooked in became an entry of its own; 44 % once everyday words one letter from a food
/// ("dont", "shared", "mine") stopped being read as it; 43 % once a dish followed by "with" and
/// one of its parts was no longer read as the part alone when the two make no other name
/// ("cheeseburger with lettuce" had been the lettuce, the burger lost).
/// 45 % with the dishes, names and readings added for the fourth and fifth sets; 47 % with those
/// made for the sixth set; 45 % with the 612 home dishes of seven regions and diets, which took
/// the other three held-out sets from 57, 53 and 52 lists to 57, 58 and 55, and the fifth
/// (written after them) from 76 to 78 of 120; 44 % with the Australian names of the seventh
/// tuning set (Hungry Jack's, stubbies, Shapes).
const DISH2_HOLDOUT_FLOOR: f64 = 44.0;
/// First measured at 79 of 120 (65.8 %) before any change was made for it; 80 (66.7 %) once
/// readings logged beside meals ("90g carbs", "bolused 8u", "back to 7.4") stopped being read
/// as foods, chai was tea brewed in milk, "1/4 chicken" was the quarter chicken and "salad" the
/// side salad (no held-out list changed).
/// 92 (76.7 %) with the changes made for the fourth and fifth sets (a share said alone, "each
/// one is 10mg", South Asian dishes, "half the tub"); 93 (77.5 %) with those for the sixth.
const DISH3_FLOOR: f64 = 77.0;
/// First measured at 46 of 80 (57.5 %) before any change was made for it; 67 (83.8 %) once
/// tuned on (Scots words, Scottish and Tex-Mex dishes, a share said alone, parts named after a
/// dish describing it); 66 (82.5 %) once Sonic's corn dog was Sonic's size, not USDA's 175 g one.
const DISH4_FLOOR: f64 = 82.0;
/// First measured at 51 of 80 (63.8 %) before any change was made for the fourth and fifth
/// sets; 50 (62.5 %) after them; 53 (66.2 %) after the first changes made for the sixth set and
/// 52 (65 %) after the last of them.
const DISH4_HOLDOUT_FLOOR: f64 = 65.0;
/// First measured at 73 of 120 (60.8 %) before any change was made for it; 78 (65.0 %) once
/// tuned on; 81 (67.5 %) with the changes made for the sixth set.
const DISH5_FLOOR: f64 = 67.0;
/// First measured at 18 of 40 (45 %) before any change was made for it; 29 (72.5 %) once tuned
/// on (doses said after a supplement, "one more", shares of a meal typed as one, parts named
/// after a food, chat words no longer read as foods, plate-lunch staples).
const DISH6_FLOOR: f64 = 72.0;
/// First measured at 52 of 80 (65 %) before any change of the session it was written in; 52
/// after them.
const DISH6_HOLDOUT_FLOOR: f64 = 65.0;
/// First measured at 67 of 120 (55.8 %) with the code and content before they were written;
/// 68 (56.7 %) with the home dishes of seven regions and diets written in the same session; 75
/// (62.5 %) once tuned on (Australian, Canadian and Filipino names, a Spanish "y" between foods).
const DISH7_FLOOR: f64 = 62.0;
/// First measured at 76 of 120 (63.3 %) with the code and content before they were written;
/// 78 (65.0 %) with the home dishes and readings of the same session.
const DISH7_HOLDOUT_FLOOR: f64 = 65.0;
