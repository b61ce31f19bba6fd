//! Terminal and CI output forged from data: a file name, a field value, a person's name
//! and a commit message carrying a newline and a workflow command, escape sequences and
//! bidirectional overrides reach the terminal shown, never sent — in `validate`'s human
//! and github formats and `log` (`report`'s tables: the tests of `src/report/table.rs`).

use super::{assert_ran, write_bytes};
use crate::harness::{AS_OF, GitRepo, stdout};

/// A new line reading as a GitHub workflow command, a screen clear, a colour, a
/// right-to-left override, a line separator.
const PAYLOAD: &str = "\n::error file=x::forged\r\u{1b}[2J\u{1b}[31m\u{202e}\u{2066}\u{2028}\u{9b}\u{7f}";

/// The characters a terminal must never receive from data: every control character but
/// the line feeds that end defter's own lines, the separators and bidi controls.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[track_caller]
fn assert_safe(what: &str, out: &str, commands: bool) {
    assert!(!out.contains(forbidden), "{what}: a raw control character reaches the terminal:\n{out:?}");
    for line in out.lines().filter(|l| l.trim_start().starts_with("::")) {
        assert!(
            commands && (line.starts_with("::error file=records/") || line.starts_with("::warning file=records/")),
            "{what}: a line that is no finding of defter's reads as a workflow command: {line:?}\n{out}"
        );
    }
}

#[test]
fn data_cannot_forge_terminal_or_ci_output() {
    let mut repo = GitRepo::new();
    repo.commit_as("selin.aydin", "Kayıtlar");
    // A file whose name carries the payload (its id cannot match it: `id-filename`).
    let name = format!("records/org/people/kotu{PAYLOAD}.yaml");
    write_bytes(repo.path(), &name, "id: kotu\nname: Kötü\n".as_bytes());
    // A person with open work, named with the payload; an unknown field quoting it.
    let quoted = serde_json::to_string(&format!("Elif{PAYLOAD}")).unwrap();
    let elif = repo.read("records/org/people/elif.kara.yaml");
    let elif: String = elif
        .lines()
        .map(|l| if l.starts_with("name:") { format!("name: {quoted}") } else { l.to_string() })
        .chain([format!("bilinmeyen: {quoted}")])
        .collect::<Vec<_>>()
        .join("\n");
    repo.write("records/org/people/elif.kara.yaml", &elif);
    repo.commit_as("selin.aydin", &format!("Ad değişti{PAYLOAD}"));

    let human = repo.defter(&["validate", "--as-of", AS_OF]);
    assert_ran(&human);
    let human = stdout(&human);
    assert!(human.contains("\\n::error file=x::forged\\r\\u{1b}[2J"), "{human}");
    assert!(human.contains("id-filename") && human.contains("unknown field"), "{human}");
    assert_safe("validate --format human", &human, false);

    let github = repo.defter(&["validate", "--as-of", AS_OF, "--format", "github"]);
    assert_ran(&github);
    let github = stdout(&github);
    assert!(github.contains("kotu%0A%3A%3Aerror file=x%3A%3Aforged%0D"), "{github}");
    assert_safe("validate --format github", &github, true);

    let log = repo.defter(&["log", "elif.kara"]);
    assert_eq!(log.status.code(), Some(0), "{}", String::from_utf8_lossy(&log.stderr));
    let log = stdout(&log);
    assert!(log.contains("Elif\\n::error file=x::forged\\r\\u{1b}"), "{log}");
    assert_safe("log", &log, false);
}
