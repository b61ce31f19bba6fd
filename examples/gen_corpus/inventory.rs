//! The inventory: applications, servers, websites, domains, certificates, repositories,
//! accounts, web-service clients, assets and continuity plans that reference each other,
//! the services and the people. Dates keep active records clear of the time rules as of
//! the corpus date.

use jiff::civil::Date;

use crate::org::{Org, ascii};
use crate::rng::{Rng, plus};
use crate::text::{self, MODULES};
use crate::value::{V, ids, plain, text as t};
use crate::{Cut, Rec, Ver};

/// Folder, id prefix and share of the inventory.
const TYPES: &[(&str, &str, u32)] = &[
    ("server", "srv", 18),
    ("domain", "dom", 5),
    ("application", "app", 25),
    ("repository", "repo", 10),
    ("website", "web", 10),
    ("certificate", "crt", 8),
    ("account", "acc", 8),
    ("webservice_client", "wsc", 6),
    ("asset", "ast", 8),
    ("continuity_plan", "bcp", 2),
];

/// How many records of each inventory type.
pub struct Counts(pub Vec<usize>);

impl Counts {
    pub fn new(total: usize) -> Counts {
        let weight: u32 = TYPES.iter().map(|t| t.2).sum();
        Counts(TYPES.iter().map(|t| (total * t.2 as usize / weight as usize).max(2)).collect())
    }

    fn of(&self, ty: &str) -> usize {
        self.0[TYPES.iter().position(|t| t.0 == ty).expect("known type")]
    }
}

/// The id of the `i`-th record of a type: a module name and a number.
pub fn id(ty: &str, i: usize) -> String {
    let prefix = TYPES.iter().find(|t| t.0 == ty).expect("known type").1;
    let module = ascii(&MODULES[i % MODULES.len()].replace(' ', "-"));
    format!("{prefix}-{module}-{}", i / MODULES.len() + 1)
}

pub struct Ctx<'a> {
    pub org: &'a Org,
    pub counts: &'a Counts,
    pub projects: usize,
    pub start: Date,
    pub end: Date,
}

impl Ctx<'_> {
    fn any(&self, rng: &mut Rng, ty: &str) -> String {
        id(ty, rng.below(self.counts.of(ty)))
    }

    fn staff(&self, rng: &mut Rng, function: &str) -> String {
        self.org.id(*rng.pick(&self.org.service(function).staff)).to_string()
    }

    fn service_unit(&self, rng: &mut Rng) -> String {
        let f = *rng.pick(&["development", "devops", "support", "analysis"]);
        self.org.service(f).unit.clone()
    }

    fn status(&self, rng: &mut Rng) -> &'static str {
        ["active", "active", "active", "active", "active", "active", "active", "active", "retired", "planned"]
            [rng.below(10)]
    }

    fn head(&self, ty: &str, i: usize, rng: &mut Rng, status: &str, name: String) -> Vec<(&'static str, V)> {
        let classification = *rng.pick(&["public", "internal", "internal", "confidential", "secret"]);
        vec![
            ("id", plain(id(ty, i))),
            ("type", plain(ty)),
            ("name", t(name)),
            ("owner", plain(self.service_unit(rng))),
            ("status", plain(status)),
            ("classification", plain(classification)),
        ]
    }

    /// A date the last review may have been on, recent enough for `interval` days.
    fn reviewed(&self, rng: &mut Rng, interval: i64) -> V {
        plain(plus(self.end, -rng.range(5, interval - 10)))
    }
}

pub fn records(cx: &Ctx, rng: &mut Rng) -> Vec<Rec> {
    let mut out = Vec::new();
    for (ty, _, _) in TYPES {
        for i in 0..cx.counts.of(ty) {
            let mut rng = rng.fork(i as u64);
            let fields = one(cx, &mut rng, ty, i);
            out.push(rec(cx, &mut rng, ty, fields));
        }
    }
    out
}

fn rec(cx: &Ctx, rng: &mut Rng, ty: &'static str, fields: Vec<(&'static str, V)>) -> Rec {
    let id = fields[0].1.as_str().to_string();
    let created = rng.after(cx.start, 1, (cx.end - cx.start).get_days() as i64 - 60);
    let author = *rng.pick(&cx.org.service("devops").staff);
    let mut versions = vec![Ver { date: created, author, cut: Cut::Final }];
    if fields.iter().any(|(k, _)| *k == "notes") && rng.chance(0.3) {
        versions[0].cut = Cut::Swap(&[], &["notes"]);
        versions.push(Ver {
            date: rng.after(created, 1, (cx.end - created).get_days() as i64),
            author,
            cut: Cut::Final,
        });
    }
    Rec { path: format!("records/inventory/{ty}/{id}.yaml"), kind: ty, fields: V::Map(fields), body: None, versions }
}

fn one(cx: &Ctx, rng: &mut Rng, ty: &str, i: usize) -> Vec<(&'static str, V)> {
    let module = MODULES[i % MODULES.len()];
    let slug = ascii(&module.replace(' ', "-"));
    let n = i / MODULES.len() + 1;
    let status = cx.status(rng);
    let active = status == "active";
    let (name, mut f) = match ty {
        "server" => {
            let env = *rng.pick(&["production", "production", "test", "development"]);
            let f = vec![
                ("hostname", plain(format!("{slug}{n:02}.izbb.local"))),
                ("ip", plain(format!("10.20.{}.{}", rng.below(250) + 1, rng.below(250) + 1))),
                (
                    "os",
                    t(*rng.pick(&["Ubuntu 24.04 LTS", "Windows Server 2022 Datacenter", "Red Hat Enterprise Linux 9"])),
                ),
                ("environment", plain(env)),
                (
                    "location",
                    t(format!(
                        "Bilgi İşlem Sistem Odası, Kabin {}{}",
                        (b'A' + rng.below(6) as u8) as char,
                        rng.below(9) + 1
                    )),
                ),
            ];
            (format!("{module} uygulama sunucusu {n}"), f)
        }
        "domain" => {
            let registered = rng.after(cx.start, -3000, 0);
            let expires = if active { rng.after(cx.end, 45, 900) } else { rng.after(cx.start, 0, 300) };
            let f = vec![
                ("registrar", t("TRABİS")),
                ("registered", plain(registered)),
                ("expires", plain(expires)),
                ("auto_renew", V::Bool(active)),
            ];
            (format!("{slug}{n}.izmir.bel.tr"), f)
        }
        "application" => {
            let mut f = vec![
                ("service", plain(cx.service_unit(rng))),
                ("business_unit", plain(&rng.pick(&cx.org.requesting).unit)),
                ("servers", ids(dedup(vec![cx.any(rng, "server"), cx.any(rng, "server")]))),
                ("criticality", V::Int(rng.range(1, 5))),
                ("url", plain(format!("https://{slug}{n}.izmir.bel.tr"))),
            ];
            if rng.chance(0.5) {
                f.insert(3, ("repository", plain(cx.any(rng, "repository"))));
            }
            if rng.chance(0.1) {
                f.insert(3, ("contractor", plain(rng.pick(&cx.org.contractors))));
            }
            (format!("{module} bilgi sistemi {n}"), f)
        }
        "repository" => {
            let mut f = vec![("url", plain(format!("https://git.izbb.local/yazilim/{slug}-{n}")))];
            if cx.projects > 0 && rng.chance(0.4) {
                f.push(("project", plain(format!("PRJ-{:04}", rng.below(cx.projects) + 1))));
            }
            let access: Vec<V> = dedup((0..rng.range(1, 4)).map(|_| cx.staff(rng, "development")).collect())
                .into_iter()
                .map(|p| {
                    V::Map(vec![
                        ("person", plain(p)),
                        ("level", plain(*rng.pick(&["read", "write", "write", "admin"]))),
                    ])
                })
                .collect();
            f.push(("access", V::List(access)));
            f.push(("last_review", cx.reviewed(rng, 180)));
            (format!("{module} kaynak kodu {n}"), f)
        }
        "website" => {
            let mut f = vec![
                ("url", plain(format!("https://{slug}{n}.izmir.bel.tr"))),
                ("application", plain(cx.any(rng, "application"))),
                ("server", plain(cx.any(rng, "server"))),
                ("domain", plain(cx.any(rng, "domain"))),
            ];
            if rng.chance(0.7) {
                f.push(("certificate", plain(cx.any(rng, "certificate"))));
            }
            (format!("{module} web sitesi {n}"), f)
        }
        "certificate" => {
            let not_after = if active { rng.after(cx.end, 45, 400) } else { rng.after(cx.end, -700, -10) };
            let cn = format!("{slug}{n}.izmir.bel.tr");
            let f = vec![
                ("common_name", plain(&cn)),
                ("sans", ids([cn.clone()])),
                (
                    "issuer",
                    t(*rng.pick(&[
                        "Sectigo RSA Organization Validation Secure Server CA",
                        "GlobalSign GCC R6 AlphaSSL CA 2023",
                        "Kamu SM SSL Sertifika Hizmet Sağlayıcısı",
                    ])),
                ),
                ("not_before", plain(plus(not_after, -365))),
                ("not_after", plain(not_after)),
                ("used_by", ids(dedup(vec![cx.any(rng, "website"), cx.any(rng, "website")]))),
            ];
            (format!("{cn} sertifikası"), f)
        }
        "account" => {
            let system = if rng.chance(0.5) { cx.any(rng, "application") } else { cx.any(rng, "server") };
            let f = vec![
                ("system", plain(system)),
                ("kind", plain(*rng.pick(&["admin", "service"]))),
                ("holder", plain(cx.staff(rng, "devops"))),
                ("last_review", cx.reviewed(rng, 365)),
            ];
            (format!("{module} yönetici hesabı {n}"), f)
        }
        "webservice_client" => {
            let consumer =
                if rng.chance(0.5) { cx.any(rng, "application") } else { rng.pick(&cx.org.requesting).unit.clone() };
            let f = vec![
                ("consumer", plain(consumer)),
                ("services", V::List(vec![t(format!("BBYS.{}.Sorgu/v{}", slug.replace('-', ""), rng.range(1, 3)))])),
                ("permissions", ids(["sorgula", "listele"])),
                ("last_review", cx.reviewed(rng, 365)),
            ];
            (format!("{module} web servis istemcisi {n}"), f)
        }
        "asset" => {
            let f = vec![
                ("tag", t(format!("IZBB-DMB-{}-{:05}", rng.range(2019, 2026), rng.below(99999)))),
                (
                    "category",
                    t(*rng.pick(&[
                        "Dizüstü bilgisayar",
                        "Yedekleme depolama (NAS)",
                        "Kiosk",
                        "Mobil test cihazı",
                        "GPU sunucusu",
                    ])),
                ),
                ("custodian", plain(cx.staff(rng, "devops"))),
                ("location", t(format!("Bilgi İşlem binası, Oda {}", rng.range(101, 420)))),
            ];
            (format!("{module} demirbaşı {n}"), f)
        }
        _ => {
            let interval = 180;
            let tests: Vec<V> = (0..rng.range(1, 3))
                .map(|k| {
                    let date = plus(cx.end, -rng.range(5, 170) - 200 * k);
                    V::Map(vec![
                        ("date", plain(date)),
                        ("result", plain("pass")),
                        ("by", plain(cx.staff(rng, "devops"))),
                    ])
                })
                .rev()
                .collect();
            let f = vec![
                ("systems", ids(dedup(vec![cx.any(rng, "application"), cx.any(rng, "application")]))),
                ("rto", plain(format!("{}h", rng.range(2, 48)))),
                ("rpo", plain(format!("{}h", rng.range(1, 24)))),
                ("test_interval", V::Int(interval)),
                ("tests", V::List(tests)),
            ];
            (format!("{module} iş sürekliliği planı {n}"), f)
        }
    };
    let mut fields = cx.head(ty, i, rng, status, name);
    if rng.chance(0.5) {
        f.push(("notes", t(text::note(rng))));
    }
    fields.append(&mut f);
    fields
}

fn dedup(mut items: Vec<String>) -> Vec<String> {
    let mut seen = Vec::new();
    items.retain(|i| {
        let new = !seen.contains(i);
        seen.push(i.clone());
        new
    });
    items
}
