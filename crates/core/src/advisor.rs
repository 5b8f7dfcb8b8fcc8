//! The one door the shells (command line, terminal chat, Discord) go through, so they all behave
//! the same: a message is a question, a food list, both, or neither.

use std::path::{Path, PathBuf};

use crate::ask::{parts, Answer, AskStatus, Asker, Reason};
use crate::content::foods::Food;
use crate::content::lexicon::Lexicon;
use crate::content::{ContentError, Library, Profile};
use crate::intake::{Estimate, Estimator};

/// Both engines, built from one library: a reload replaces the whole advisor at once.
#[derive(Debug)]
pub struct Advisor {
    asker: Asker,
    estimator: Estimator,
    content_dir: PathBuf,
}

/// How a message reached the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressed {
    /// Spoken to directly (a mention, a command, the terminal): always worth a reply.
    Directly,
    /// Overheard in a channel the bot listens to: reply only to what is clearly for it.
    Passively,
}

/// What to reply to one message: an answer, an estimate, both, or nothing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Response {
    pub answer: Option<Answer>,
    pub estimate: Option<Estimate>,
}

impl Response {
    /// Whether there is nothing to say (chit-chat).
    pub fn is_silent(&self) -> bool {
        self.answer.is_none() && self.estimate.is_none()
    }
}

impl Advisor {
    /// Loads the content folder and builds the engines.
    pub fn load(content_dir: &Path) -> Result<Advisor, Vec<ContentError>> {
        Ok(Advisor::new(Library::load(content_dir)?, content_dir))
    }

    /// Builds the engines from a library loaded from `content_dir`.
    pub fn new(library: Library, content_dir: &Path) -> Advisor {
        let Library { topics, safety, topic_model, foods, supplements, reference, lexicon } = library;
        let Lexicon { questions, foods: food_words } = lexicon;
        Advisor {
            asker: Asker::new(topics, safety, topic_model, questions),
            estimator: Estimator::new(foods, supplements, reference, food_words),
            content_dir: content_dir.to_path_buf(),
        }
    }

    /// The question engine, with the topics and safety rules.
    pub fn asker(&self) -> &Asker {
        &self.asker
    }

    /// The intake engine, with the foods, supplement forms and reference values.
    pub fn estimator(&self) -> &Estimator {
        &self.estimator
    }

    pub fn content_dir(&self) -> &Path {
        &self.content_dir
    }

    /// The profile named `name` (id or alias), or the default when `None`.
    pub fn profile(&self, name: Option<&str>) -> Result<&Profile, String> {
        self.estimator.profile(name)
    }

    /// Answers a question.
    pub fn ask(&self, question: &str) -> Answer {
        self.asker.ask(question)
    }

    /// Whether `text` needs urgent guidance: safety triage alone, without retrieval.
    pub fn is_urgent(&self, text: &str) -> bool {
        self.asker.is_urgent(text)
    }

    /// The urgent guidance for `text`, when it needs any: every shell checks this before
    /// anything else it does with free text.
    pub fn urgent(&self, text: &str) -> Option<Answer> {
        self.asker.urgent(text)
    }

    /// Estimates zinc and copper in a food list.
    pub fn intake(&self, text: &str, profile: &Profile) -> Estimate {
        self.estimator.estimate(text, profile)
    }

    /// One supplement dose from a form and an amount in mg, or why the amount is refused.
    pub fn supplement(&self, form: &str, amount_mg: f64, profile: &Profile) -> Result<Estimate, String> {
        self.estimator.supplement_dose(form, amount_mg, profile)
    }

    /// The food a name means: an NDB number, a chat name (typos tolerated) or a USDA
    /// description.
    pub fn food(&self, name: &str) -> Option<&Food> {
        self.estimator.food(name)
    }

    /// Chat names starting with (then containing) `partial`, as (label, NDB number) pairs, for
    /// autocomplete.
    pub fn food_names(&self, partial: &str, limit: usize) -> Vec<(String, String)> {
        self.estimator.food_names(partial, limit)
    }

    /// Decides what a chat message is and answers it: urgent situations first (a crisis alone; a
    /// food list after other urgent guidance still gets its estimate), then a
    /// food list, a question, or both. Overheard chit-chat gets nothing.
    pub fn respond(&self, text: &str, profile: &Profile, addressed: Addressed) -> Response {
        if !text.chars().any(char::is_alphanumeric) {
            return Response::default();
        }
        let answer = self.ask(text);
        if answer.status == AskStatus::Urgent {
            // When in doubt, both: a food list still gets its estimate after urgent guidance
            // ("big bowl of black bean chilli"), but a crisis reply stands alone.
            let estimate = (answer.reason != Reason::Crisis).then(|| self.intake(text, profile));
            return Response { answer: Some(answer), estimate: estimate.filter(is_food_list) };
        }
        let estimate = self.intake(text, profile);
        let food_list = is_food_list(&estimate);
        // In a message that lists food and asks something, the question is what is left once
        // the food is taken out ("had 2 eggs and beef, is that too much zinc?").
        let answer = if food_list && !estimate.unrecognized.is_empty() {
            self.ask(&estimate.unrecognized.join(", "))
        } else {
            answer
        };
        let asked = parts::is_question(self.asker.lexicon(), text);
        let direct = addressed == Addressed::Directly;
        // A plain food list is not a question about food sources; "hi" is not a question at all.
        let question = match answer.status {
            AskStatus::Answered => asked || (direct && !food_list),
            AskStatus::Declined if answer.reason == Reason::NotAboutZinc => direct && asked && !food_list,
            AskStatus::Declined | AskStatus::NoMatch => direct && !food_list,
            AskStatus::Urgent => true,
        };
        Response { answer: question.then_some(answer), estimate: food_list.then_some(estimate) }
    }
}

/// Whether an estimate found a list of foods rather than a stray food word in a sentence: more
/// recognised entries than unrecognised ones.
fn is_food_list(estimate: &Estimate) -> bool {
    let recognised = estimate.items.len() + estimate.supplements.len();
    recognised > 0 && recognised > estimate.unrecognized.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_are_recognised_by_shape() {
        let lexicon = crate::content::lexicon::shipped().questions;
        let looks_like_question = |text| parts::is_question(&lexicon, text);
        assert!(looks_like_question("is zinc bad for lupus"));
        assert!(looks_like_question("zinc and cipro?"));
        assert!(looks_like_question("Anyone know if zinc helps psoriasis"));
        assert!(!looks_like_question("had 2 eggs and toast"));
        assert!(!looks_like_question("lol same"));
    }
}
