//! The terminal speaks the user's language (issue 25): Turkish when defter.toml's
//! `[site] language` is "tr" or the locale is Turkish, English otherwise, `--lang`
//! over both; input forgiven where it can be (labels, typos, Turkish dates); feedback
//! where the user looks (`build`, `--base`, `init`).

use std::path::Path;
use std::process::{Command, Output};

use crate::harness::{AS_OF, GitRepo, Repo, findings, fixtures, stderr, stdout};

/// `defter --repo DIR ARGS…` with the locale variables set to `locale` (all three unset
/// first, so the machine's own locale does not leak in).
fn defter_with(repo: &Path, locale: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_defter"));
    command.arg("--repo").arg(repo).args(args).env("NO_COLOR", "1");
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(name);
    }
    command.envs(locale.iter().copied()).output().expect("defter runs")
}

/// A repository with one separation-of-duties error.
fn repo_with_findings() -> Repo {
    Repo::with_overlays(&[&fixtures().join("rules/separation-of-duties")])
}

const ENGLISH: &[&str] = &["error[", "warning[", "help:", " records:", " errors", "see `defter explain"];
const TURKISH: &[&str] = &["hata[", "uyarı[", "yardım:", " kayıt:", " hata,", "bkz. `defter explain"];

#[track_caller]
fn speaks(text: &str, words: &[&str], not: &[&str]) {
    assert!(words.iter().any(|w| text.contains(w)), "none of {words:?} in:\n{text}");
    for word in not {
        assert!(!text.contains(word), "{word:?} in:\n{text}");
    }
}

#[test]
fn validate_speaks_turkish_when_the_repository_says_tr_and_english_when_told() {
    let repo = repo_with_findings();
    repo.write("defter.toml", "[site]\nlanguage = \"tr\"\n");
    let tr = defter_with(repo.path(), &[("LANG", "en_US.UTF-8")], &["validate", "--as-of", AS_OF]);
    assert_eq!(tr.status.code(), Some(1), "{}", stderr(&tr));
    let text = stdout(&tr);
    speaks(&text, &["hata[separation-of-duties]:"], ENGLISH);
    assert!(text.contains("yardım: iki görevden birini başka bir kişi üstlenmelidir"), "{text}");
    assert!(text.ends_with(" kayıt: 1 hata, 0 uyarı\n"), "{text}");

    let en = defter_with(repo.path(), &[], &["--lang", "en", "validate", "--as-of", AS_OF]);
    speaks(&stdout(&en), &["error[separation-of-duties]:"], TURKISH);
    // Pull-request annotations are read by the same staff.
    let github = stdout(&defter_with(repo.path(), &[], &["validate", "--as-of", AS_OF, "--format", "github"]));
    assert!(github.starts_with("::error file=") && github.contains("%0Ayardım: iki görevden birini"), "{github}");
    assert!(github.ends_with(" kayıt: 1 hata, 0 uyarı\n"), "{github}");
    // JSON keeps both languages whatever the terminal's.
    let json = stdout(&defter_with(repo.path(), &[], &["validate", "--as-of", AS_OF, "--format", "json"]));
    for key in ["\"message\":", "\"message_tr\":", "\"help\":", "\"help_tr\":"] {
        assert!(json.contains(key), "{key} in {json}");
    }
}

#[test]
fn the_locale_chooses_when_the_repository_does_not() {
    let repo = repo_with_findings();
    let run = |locale: &[(&str, &str)]| stdout(&defter_with(repo.path(), locale, &["validate", "--as-of", AS_OF]));
    speaks(&run(&[("LANG", "tr_TR.UTF-8")]), &["hata[separation-of-duties]"], ENGLISH);
    speaks(&run(&[]), &["error[separation-of-duties]"], TURKISH);
    // A locale defter does not know, and LC_ALL over LANG: English.
    speaks(&run(&[("LANG", "xx_YY.weird")]), &["error[separation-of-duties]"], TURKISH);
    speaks(&run(&[("LANG", "tr_TR.UTF-8"), ("LC_ALL", "C")]), &["error[separation-of-duties]"], TURKISH);
    // `--lang` over the locale.
    let told = defter_with(repo.path(), &[("LANG", "tr_TR.UTF-8")], &["--lang", "en", "validate", "--as-of", AS_OF]);
    speaks(&stdout(&told), &["error[separation-of-duties]"], TURKISH);
}

#[test]
fn a_broken_language_value_is_a_clear_error_in_the_locales_language() {
    let repo = repo_with_findings();
    repo.write("defter.toml", "[site]\nlanguage = \"turkish\"\n");
    let en = defter_with(repo.path(), &[], &["validate", "--as-of", AS_OF]);
    assert_eq!(en.status.code(), Some(2));
    assert!(
        stderr(&en).contains("error: defter.toml: [site] language must be \"tr\" (Turkish) or \"en\""),
        "{}",
        stderr(&en)
    );
    let tr = defter_with(repo.path(), &[("LANG", "tr_TR.UTF-8")], &["validate"]);
    assert_eq!(tr.status.code(), Some(2));
    assert!(stderr(&tr).contains("hata: defter.toml: [site] language \"tr\" (Türkçe)"), "{}", stderr(&tr));
}

#[test]
fn errors_and_notes_of_the_commands_speak_turkish_too() {
    let repo = repo_with_findings();
    let run = |args: &[&str]| defter_with(repo.path(), &[], &[&["--lang", "tr"], args].concat());
    let explain = run(&["explain", "separation-of-dutis"]);
    assert_eq!(explain.status.code(), Some(2));
    assert_eq!(
        stderr(&explain),
        "hata: `separation-of-dutis` diye bir kural yok; `separation-of-duties` mi demek istediniz? \
         `defter explain` hepsini listeler\n"
    );
    let new =
        run(&["new", "grant", "--grantee", "zeynep.arsaln", "--system", "x", "--role", "y", "--by", "selin.aydin"]);
    assert!(stderr(&new).contains("`zeynep.arslan` mi demek istediniz?"), "{}", stderr(&new));
    let report = stdout(&run(&["report", "open-requests", "--as-of", AS_OF]));
    assert!(report.starts_with("servis") && report.contains("toplam"), "{report}");
    // In English, the same did-you-mean.
    let en = defter_with(repo.path(), &[], &["explain", "separation-of-dutis"]);
    assert!(stderr(&en).contains("did you mean `separation-of-duties`?"), "{}", stderr(&en));
}

#[test]
fn a_date_written_the_turkish_way_gets_one_finding_saying_how_to_write_it() {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    let path = "records/requests/2026/TLP-2026-0001.md";
    let text = std::fs::read_to_string(repo.path().join(path)).unwrap();
    repo.write(path, &text.replace("due: 2026-04-15", "due: 15.04.2026"));
    let output = defter_with(repo.path(), &[], &["validate", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(findings(&output), vec![format!("schema {path}:13:6")]);
    let json = stdout(&output);
    assert!(json.contains("write 2026-04-15"), "{json}");
    assert!(json.contains("2026-04-15 yazın"), "{json}");
    assert!(!json.contains("[0-9]{4}"), "no regular expression: {json}");
}

#[test]
fn an_enum_error_lists_every_allowed_value_with_its_label() {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    let path = "records/requests/2026/TLP-2026-0001.md";
    let text = std::fs::read_to_string(repo.path().join(path)).unwrap();
    repo.write(path, &text.replace("priority: normal", "priority: Yüksek"));
    let output = defter_with(repo.path(), &[], &["--lang", "tr", "validate", "--as-of", AS_OF]);
    let text = stdout(&output);
    assert!(!text.contains("other candidates"), "{text}");
    assert!(text.contains("`high` mi demek istediniz?"), "the label names its value: {text}");
    for value in ["`low` (Düşük)", "`normal` (Normal)", "`high` (Yüksek)"] {
        assert!(text.contains(value), "{value} in {text}");
    }
}

#[test]
fn a_state_that_lacks_several_fields_gets_one_finding_naming_them_all() {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    let path = "records/requests/2026/TLP-2026-0001.md";
    let text = std::fs::read_to_string(repo.path().join(path)).unwrap();
    let text = text.replace(
        "resolution: { date: 2026-04-03, summary: Ekran canlıya alındı, tested_by: oguz.koc }",
        "resolution: { tested_by: oguz.koc }",
    );
    repo.write(path, &text.replace("assignee: elif.kara\n", ""));
    let output = defter_with(repo.path(), &[], &["validate", "--as-of", AS_OF, "--format", "json"]);
    let state_fields: Vec<String> = findings(&output).into_iter().filter(|f| f.starts_with("state-fields")).collect();
    assert_eq!(state_fields, vec![format!("state-fields {path}:14:9")], "{}", stdout(&output));
    let json = stdout(&output);
    assert!(json.contains("status `closed` requires `assignee`, `resolution.date`, `resolution.summary`"), "{json}");
    assert!(json.contains("Kapatıldı olduğunda zorunlu olan alanlar eksik"), "{json}");
}

#[test]
fn build_prints_the_errors_it_found() {
    let repo = repo_with_findings();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let output = defter_with(repo.path(), &[], &["build", "--as-of", AS_OF, "--out", site.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(said.contains("error[separation-of-duties]:"), "{said}");
    assert!(said.contains("1 error, 0 warnings)"), "{said}");
}

#[test]
fn build_says_why_it_renders_everything_in_the_runs_language() {
    let repo = repo_with_findings();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let build = |extra: &[&str]| {
        let args =
            [&["--lang", "tr", "-v", "build", "--as-of", AS_OF, "--out", site.to_str().unwrap()], extra].concat();
        stderr(&defter_with(repo.path(), &[], &args))
    };
    let first = build(&[]);
    assert!(first.contains("tam derleme: sitede bu defter'in okuyabileceği bir derleme durumu yok"), "{first}");
    let public = build(&["--public"]);
    assert!(public.contains("tam derleme: son derlemeden beri değişen: --public"), "{public}");
    speaks(&public, &["tam derleme"], &["changed since", "no build state"]);
}

#[test]
fn an_unknown_base_revision_names_the_branches() {
    let mut repo = GitRepo::new();
    repo.commit_as("selin.aydin", "Kayıtlar");
    repo.git(&["branch", "yeni-talep"]);
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--base", "mian"]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(
        said.contains("unknown revision `mian`; did you mean `main`? the branches are: `main`, `yeni-talep`"),
        "{said}"
    );
}

#[test]
fn init_without_a_folder_refuses_a_full_one_and_makes_a_git_repository_of_an_empty_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notlar.txt"), "mine\n").unwrap();
    let init = |dir: &Path| {
        Command::new(env!("CARGO_BIN_EXE_defter"))
            .current_dir(dir)
            .args(["--lang", "en", "init", "--as-of", AS_OF])
            .output()
            .unwrap()
    };
    let refused = init(dir.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("the current folder is not empty (it holds notlar.txt)"), "{}", stderr(&refused));
    assert!(!dir.path().join("records").exists());

    let empty = tempfile::tempdir().unwrap();
    let made = init(empty.path());
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let head = std::fs::read_to_string(empty.path().join(".git/HEAD")).unwrap();
    assert_eq!(head, "ref: refs/heads/main\n");
    assert!(stderr(&made).contains("is a new git repository (branch `main`)"), "{}", stderr(&made));
}
