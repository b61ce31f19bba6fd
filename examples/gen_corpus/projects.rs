//! Projects and their documents: analysed, developed, tested by the support service and
//! the owning unit, deployed by DevOps and taken live — or put on hold or cancelled on
//! the way. Each project folder holds `index.md` and two to five sections.

use jiff::civil::Date;

use crate::org::Org;
use crate::requests::{Step, history, versions};
use crate::rng::{Rng, plus};
use crate::value::{V, ids, plain, text as t};
use crate::{Cut, Rec, Ver, inventory, text};

const KINDS: &[&str] = &[
    "e_municipality",
    "e_government",
    "web",
    "intranet",
    "kiosk",
    "mobile",
    "integration",
    "data_science",
    "internal",
];

const SECTIONS: &[(&str, &str, &str)] = &[
    ("analiz", "Analiz", "analysis"),
    ("gelistirme-notlari", "Geliştirme notları", "development"),
    ("test-plani", "Test planı", "test"),
    ("canliya-gecis", "Canlıya geçiş planı", "operations"),
    ("degisiklik-kaydi", "Değişiklik kaydı", "changelog"),
    ("toplanti-notlari", "Toplantı notları", "other"),
    ("arge-notlari", "Ar-Ge notları", "rnd"),
];

pub struct Ctx<'a> {
    pub org: &'a Org,
    pub apps: usize,
    pub repos: usize,
    pub start: Date,
    pub end: Date,
}

/// Project `n` (1-based) and its sections.
pub fn project(cx: &Ctx, rng: &mut Rng, n: usize) -> Vec<Rec> {
    let org = cx.org;
    let id = format!("PRJ-{n:04}");
    let owner = rng.pick(&org.requesting);
    let service = org.service(if rng.chance(0.75) { "development" } else { "rnd" });
    let analyst = *rng.pick(&org.service("analysis").staff);
    let mut developers: Vec<usize> = (0..rng.range(1, 3)).map(|_| *rng.pick(&service.staff)).collect();
    developers.sort_unstable();
    developers.dedup();
    let devops = *rng.pick(&org.service("devops").staff);
    let span = (cx.end - cx.start).get_days() as i64;
    let started = rng.after(cx.start, 10, span - 30);
    let plan = Plan { org, analyst, developer: developers[0], devops, chief: service.chief, owner: owner.official };
    let (steps, tests, deployments) = plan.timeline(rng, started, cx.end);
    let phase = steps.last().map_or("proposed", |s| s.status);
    let mut f = vec![
        ("id", plain(&id)),
        ("title", t(format!("{} projesi", text::title(rng)))),
        ("kind", plain(*rng.pick(KINDS))),
        ("owner_unit", plain(&owner.unit)),
        ("service", plain(&service.unit)),
        ("analyst", plain(org.id(analyst))),
        ("developers", ids(developers.iter().map(|d| org.id(*d)))),
        (
            "systems",
            ids(dedup(vec![
                inventory::id("application", rng.below(cx.apps)),
                inventory::id("application", rng.below(cx.apps)),
            ])),
        ),
        ("repository", plain(inventory::id("repository", rng.below(cx.repos)))),
        ("phase", plain(phase)),
        ("started", plain(started)),
    ];
    if rng.chance(0.6) {
        f.push(("target_date", plain(rng.after(started, 180, 720))));
    }
    if !tests.is_empty() {
        f.push(("tests", V::List(tests)));
    }
    if !deployments.is_empty() {
        f.push(("deployments", V::List(deployments)));
    }
    f.push(("history", history(org, &steps)));
    let last = steps.last().map_or(started, |s| s.date);
    let versions = versions(rng, &steps, &["tests", "deployments"], &["tests", "deployments"], last);
    let mut out = vec![Rec {
        path: format!("records/projects/{id}/index.md"),
        kind: "project",
        fields: V::Map(f),
        body: Some((rng.next(), 1000, 2000)),
        versions,
    }];
    let mut order: Vec<usize> = (0..SECTIONS.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let count = rng.range(2, 5) as usize;
    let mut chosen: Vec<usize> = order[..count].to_vec();
    chosen.sort_unstable();
    for (k, s) in chosen.into_iter().enumerate() {
        let (stem, title, section) = SECTIONS[s];
        let fields = V::Map(vec![("title", t(title)), ("section", plain(section)), ("order", V::Int(k as i64 + 1))]);
        let date = rng.after(started, 1, (cx.end - started).get_days() as i64);
        out.push(Rec {
            path: format!("records/projects/{id}/{stem}.md"),
            kind: "project_section",
            fields,
            body: Some((rng.next(), 1000, 2000)),
            versions: vec![Ver { date, author: analyst, cut: Cut::Final }],
        });
    }
    out
}

struct Plan<'a> {
    org: &'a Org,
    analyst: usize,
    developer: usize,
    devops: usize,
    chief: usize,
    owner: usize,
}

impl Plan<'_> {
    /// The phases up to the corpus date, with the tests and deployments made on the way.
    fn timeline(&self, rng: &mut Rng, started: Date, end: Date) -> (Vec<Step>, Vec<V>, Vec<V>) {
        let bm = self.org.branch_manager;
        let support = *rng.pick(&self.org.service("support").staff);
        let mut steps = Vec::new();
        let mut date = started;
        if rng.chance(0.3) {
            steps.push(Step {
                date,
                by: self.chief,
                status: "proposed",
                note: Some("Birim yazısıyla önerildi".into()),
            });
            date = rng.after(date, 5, 60);
        }
        steps.push(Step { date, by: self.analyst, status: "analysis", note: None });
        let target = rng.below(100);
        let path: &[(&'static str, usize)] = &[
            ("development", self.analyst),
            ("testing", self.developer),
            ("deployment", self.analyst),
            ("live", self.devops),
        ];
        let (mut tests, mut deployments) = (Vec::new(), Vec::new());
        for (phase, by) in path {
            if target < 10 && *phase == "testing" {
                let stop = if rng.chance(0.5) { "on_hold" } else { "cancelled" };
                date = rng.after(date, 20, 200);
                steps.push(Step { date, by: bm, status: stop, note: Some(text::sentence(rng)) });
                break;
            }
            date = rng.after(date, 20, 150);
            if *phase == "testing" {
                deployments.push(self.deployment(rng, plus(date, -1), "test", "0.9.0"));
            }
            if *phase == "deployment" {
                tests.push(test(self.org, plus(date, -3), support, "support", rng));
                tests.push(test(self.org, plus(date, -2), self.owner, "unit_official", rng));
                if rng.chance(0.5) {
                    tests.push(test(self.org, plus(date, -1), self.analyst, "analyst", rng));
                }
            }
            if *phase == "live" {
                deployments.push(self.deployment(rng, date, "production", "1.0.0"));
            }
            steps.push(Step { date, by: *by, status: phase, note: None });
        }
        if target > 92 && steps.last().is_some_and(|s| s.status == "live") {
            date = rng.after(date, 100, 600);
            steps.push(Step { date, by: bm, status: "retired", note: Some("Yeni sisteme geçildi".into()) });
        }
        steps.retain(|s| s.date <= end);
        let reached = |phase: &str| steps.iter().any(|s| s.status == phase);
        if !reached("deployment") {
            tests.clear();
        }
        let live = reached("live");
        let testing = reached("testing");
        deployments
            .retain(|d: &V| if d.get("environment").map(V::as_str) == Some("production") { live } else { testing });
        (steps, tests, deployments)
    }

    fn deployment(&self, rng: &mut Rng, date: Date, environment: &str, version: &str) -> V {
        let _ = rng;
        V::Map(vec![
            ("date", plain(date)),
            ("version", t(version)),
            ("environment", plain(environment)),
            ("by", plain(self.org.id(self.devops))),
            ("approved_by", plain(self.org.id(self.chief))),
        ])
    }
}

fn test(org: &Org, date: Date, by: usize, role: &str, rng: &mut Rng) -> V {
    V::Map(vec![
        ("date", plain(date)),
        ("by", plain(org.id(by))),
        ("role", plain(role)),
        ("result", plain("pass")),
        ("note", t(text::sentence(rng))),
    ])
}

fn dedup(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items.dedup();
    items
}

/// Sets a project's `requests` to the requests that name it.
pub fn link_requests(project: &mut Rec, requests: Vec<String>) {
    if let V::Map(f) = &mut project.fields
        && !requests.is_empty()
    {
        let at = f.iter().position(|(k, _)| *k == "systems").unwrap_or(f.len());
        f.insert(at, ("requests", ids(requests)));
    }
}
