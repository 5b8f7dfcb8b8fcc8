//! The one door the shells (command line, terminal chat, Discord) go through, so they all behave
//! the same.

use std::path::{Path, PathBuf};

use crate::content::{ContentError, Library, Profile};
use crate::intake::{self, Estimate};

/// Holds the loaded library and answers on it.
#[derive(Debug)]
pub struct Advisor {
    library: Library,
    content_dir: PathBuf,
}

impl Advisor {
    /// Loads the content folder.
    pub fn load(content_dir: &Path) -> Result<Advisor, Vec<ContentError>> {
        Ok(Advisor { library: Library::load(content_dir)?, content_dir: content_dir.to_path_buf() })
    }

    /// Wraps an already loaded library.
    pub fn new(library: Library, content_dir: PathBuf) -> Advisor {
        Advisor { library, content_dir }
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    pub fn content_dir(&self) -> &Path {
        &self.content_dir
    }

    /// The profile named `name` (id or alias), or the default when `None`.
    pub fn profile(&self, name: Option<&str>) -> Result<&Profile, String> {
        let reference = &self.library.reference;
        match name {
            None => Ok(reference.default()),
            Some(name) => reference.profile(name).ok_or_else(|| {
                let ids: Vec<&str> = reference.profiles.iter().map(|p| p.id.as_str()).collect();
                format!("unknown profile {name:?}; choose one of: {}", ids.join(", "))
            }),
        }
    }

    /// Estimates zinc and copper in a food list.
    pub fn intake(&self, text: &str, profile: &Profile) -> Estimate {
        intake::estimate(&self.library, text, profile)
    }
}
