//! Turkish-ish prose for titles, notes and Markdown bodies, built from fragments of the
//! kind a directorate writes. Nothing here looks like a secret or raw HTML, so the
//! corpus stays clean under the `secret` and `raw-html` rules.

use crate::rng::Rng;

pub const MODULES: &[&str] = &[
    "Zabıta",
    "İmar",
    "Ruhsat",
    "Emlak",
    "Tahakkuk",
    "Tahsilat",
    "Personel",
    "Bordro",
    "Evrak",
    "Arşiv",
    "Park ve Bahçeler",
    "Ulaşım",
    "Çevre",
    "Sosyal Yardım",
    "Kültür Etkinlik",
    "Nikah",
    "Mezarlık",
    "Hal",
    "Kiosk",
    "e-Belediye",
    "Mobil",
    "Raporlama",
    "Harita",
    "Su Abonelik",
    "Taşınmaz",
    "Satın Alma",
];

const PROBLEMS: &[&str] = &[
    "günlük rapor ekranı",
    "sorgu ekranında zaman aşımı",
    "toplu veri aktarımı",
    "PDF çıktısında karakter hatası",
    "yetki ekranının yenilenmesi",
    "yeni onay adımı",
    "Excel dışa aktarma",
    "e-Devlet entegrasyonu",
    "mobil uygulamada fotoğraf yükleme",
    "bildirim e-postaları",
    "harita katmanı güncellemesi",
    "arama ekranının hızlandırılması",
    "mükerrer kayıt kontrolü",
    "imzalı belge doğrulama",
    "eğitim talebi",
    "veri düzeltme",
    "kullanıcı kılavuzu",
    "raporlarda tarih süzgeci",
    "stok sayım ekranı",
    "randevu takvimi",
];

const SUBJECTS: &[&str] = &[
    "Birim",
    "Saha ekipleri",
    "Vatandaşlar",
    "Sistem kullanıcıları",
    "Müdürlük personeli",
    "Başvuru sahipleri",
    "Denetim ekipleri",
    "Muhasebe birimi",
    "Destek Servisi",
    "Analiz Servisi",
    "Yüklenici firma",
    "Birim yetkilisi",
];

const OBJECTS: &[&str] = &[
    "kayıt ekranını",
    "günlük raporları",
    "başvuru listesini",
    "ödeme makbuzlarını",
    "denetim tutanaklarını",
    "evrak akışını",
    "yetki tanımlarını",
    "arşiv sorgularını",
    "harita görünümünü",
    "bildirimleri",
    "tahsilat dökümlerini",
    "ruhsat belgelerini",
    "randevu kayıtlarını",
    "dosya eklerini",
    "onay adımlarını",
];

const VERBS: &[&str] = &[
    "her gün kullanmaktadır",
    "ay sonunda toplu olarak hazırlamaktadır",
    "yavaş bulduğunu bildirmiştir",
    "tek ekranda görmek istemektedir",
    "elle düzeltmek zorunda kalmaktadır",
    "yeni mevzuata göre güncellemek istemektedir",
    "mobil cihazlardan da kullanmak istemektedir",
    "Excel'e aktararak incelemektedir",
    "sorunsuz kullanabilmelidir",
    "gün içinde birkaç kez sorgulamaktadır",
    "yanlış tarihle görmektedir",
    "eksik alanlarla kaydetmektedir",
];

const TAILS: &[&str] = &[
    "Bu durum iş yükünü artırmaktadır.",
    "Konu birim yazısıyla da iletilmiştir.",
    "Öncelik birimle birlikte belirlenmiştir.",
    "Sorun özellikle ay sonlarında yoğunlaşmaktadır.",
    "Değişiklik kişisel veri içermez.",
    "Test ortamında da aynı davranış görülmüştür.",
    "Benzer bir talep geçen yıl da kaydedilmişti.",
    "Çözüm için veritabanında değişiklik gerekmeyebilir.",
    "Kullanıcı eğitimi ayrıca planlanacaktır.",
    "Mevcut ekranlar bu süre içinde kullanılmaya devam edecektir.",
];

const LIST_ITEMS: &[&str] = &[
    "Sorun mobil veri bağlantısı zayıf olan bölgelerde yoğunlaşıyor",
    "Kayıt tekrar denendiğinde mükerrer kayıt oluşabiliyor",
    "Rapor yalnızca yetkili kullanıcılara açılmalı",
    "Eski kayıtlar yeni biçime aktarılmalı",
    "Tarih alanları gün.ay.yıl biçiminde gösterilmeli",
    "Türkçe karakterler dosya adlarında korunmalı",
    "İşlem sonunda kullanıcıya bilgi verilmeli",
    "Günlük yedekleme süresi etkilenmemeli",
    "Ekran 1366 piksel genişlikte sorunsuz çalışmalı",
    "Değişiklik kaydı tutulmalı",
];

const HEADINGS: &[&str] = &["Mevcut durum", "Beklenen davranış", "Kapsam", "Riskler", "Notlar", "Yöntem", "Sonuç"];

pub fn title(rng: &mut Rng) -> String {
    format!("{} modülünde {}", rng.pick(MODULES), rng.pick(PROBLEMS))
}

pub fn sentence(rng: &mut Rng) -> String {
    let mut s = format!("{} {} {}.", rng.pick(SUBJECTS), rng.pick(OBJECTS), rng.pick(VERBS));
    if rng.chance(0.4) {
        s.push(' ');
        s.push_str(rng.pick::<&str>(TAILS));
    }
    s
}

/// A short note (one sentence, no Markdown).
pub fn note(rng: &mut Rng) -> String {
    sentence(rng)
}

fn paragraph(rng: &mut Rng, out: &mut String) {
    let mut width = 0;
    for _ in 0..rng.range(2, 4) {
        let s = sentence(rng);
        for word in s.split(' ') {
            if width > 0 && width + word.chars().count() > 88 {
                out.push('\n');
                width = 0;
            } else if width > 0 {
                out.push(' ');
                width += 1;
            }
            out.push_str(word);
            width += word.chars().count();
        }
    }
    out.push_str("\n\n");
}

/// A Markdown body of `lo..=hi` bytes: paragraphs, now and then a list or a heading.
pub fn body(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let target = rng.range(lo as i64, hi as i64) as usize;
    let mut out = String::with_capacity(target + 200);
    let mut heading = 1;
    while out.len() < target {
        match rng.below(6) {
            0 => {
                for _ in 0..rng.range(2, 4) {
                    out.push_str("- ");
                    out.push_str(rng.pick::<&str>(LIST_ITEMS));
                    out.push_str(",\n");
                }
                out.push('\n');
            }
            1 if out.len() > 200 => {
                out.push_str(&format!("## {heading}. {}\n\n", rng.pick(HEADINGS)));
                heading += 1;
            }
            _ => paragraph(rng, &mut out),
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out.push('\n');
    out
}
