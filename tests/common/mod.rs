//! Helpers shared by the integration tests.

use std::ops::Deref;
use std::path::{Path, PathBuf};

/// A private copy of `content/` in a temporary folder, for tests that break or edit it; removed
/// when dropped.
pub struct ContentCopy(tempfile::TempDir);

impl Deref for ContentCopy {
    type Target = Path;

    fn deref(&self) -> &Path {
        self.0.path()
    }
}

/// A fresh copy of `content/`, its folder named after `tag` to tell failing tests apart.
pub fn content_copy(tag: &str) -> ContentCopy {
    let dir = tempfile::Builder::new().prefix(&format!("zincbot-{tag}-")).tempdir().expect("a temporary folder");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), dir.path());
    ContentCopy(dir)
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let target: PathBuf = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
