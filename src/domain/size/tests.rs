//! Tests of the pure image analysis on hand-built layer indexes.

use super::*;

fn file(path: &str, size: u64) -> LayerEntry {
    LayerEntry {
        path: path.into(),
        size,
        kind: EntryKind::File,
    }
}

fn entry(path: &str, kind: EntryKind) -> LayerEntry {
    LayerEntry {
        path: path.into(),
        size: 0,
        kind,
    }
}

fn step(created_by: &str, empty: bool) -> HistoryStep {
    HistoryStep {
        created_by: created_by.into(),
        empty_layer: empty,
    }
}

fn gen_history() -> Vec<HistoryStep> {
    vec![
        step("/bin/sh -c #(nop) ADD file:abc in / ", false),
        step("/bin/sh -c #(nop)  ENV A=1", true),
        step(
            "RUN /bin/sh -c dd if=/dev/zero of=/big bs=1k count=100 # buildkit",
            false,
        ),
        step("/bin/sh -c rm /big", false),
    ]
}

#[test]
fn file_deleted_in_a_later_layer_is_wasted_and_named() {
    let layers = vec![
        ("sha256:a".to_string(), vec![file("bin/sh", 1000)]),
        ("sha256:b".to_string(), vec![file("big", 102_400)]),
        (
            "sha256:c".to_string(),
            vec![entry("big", EntryKind::Whiteout)],
        ),
    ];
    let report = analyse("img", &layers, &gen_history());
    assert_eq!(report.wasted, 102_400);
    assert_eq!(report.layers[1].wasted, 102_400);
    assert_eq!(
        report.layers[1].instruction,
        "RUN dd if=/dev/zero of=/big bs=1k count=100"
    );
    assert_eq!(report.layers[2].instruction, "RUN rm /big");
    let w = &report.wasted_files[0];
    assert_eq!((w.path.as_str(), w.added_in, w.removed_in), ("big", 1, 2));
    assert_eq!(w.how, WasteKind::Deleted);
    assert!((report.efficiency - (1.0 - 102_400.0 / 103_400.0)).abs() < 1e-9);
}

#[test]
fn overwrite_counts_the_lower_copy() {
    let layers = vec![
        ("a".to_string(), vec![file("app/x", 50)]),
        ("b".to_string(), vec![file("app/x", 70)]),
    ];
    let report = analyse("img", &layers, &[]);
    assert_eq!(report.wasted, 50);
    assert_eq!(report.wasted_files[0].how, WasteKind::Overwritten);
    assert_eq!(report.total, 120);
}

#[test]
fn whiteout_of_a_directory_removes_its_subtree_only() {
    let layers = vec![
        (
            "a".to_string(),
            vec![
                file("data/sub/1", 10),
                file("data/sub/2", 20),
                file("data/subway", 5),
            ],
        ),
        (
            "b".to_string(),
            vec![entry("data/sub", EntryKind::Whiteout)],
        ),
    ];
    let report = analyse("img", &layers, &[]);
    assert_eq!(report.wasted, 30, "data/subway must survive: {report:?}");
}

#[test]
fn opaque_dir_hides_lower_children_but_keeps_its_own() {
    let layers = vec![
        ("a".to_string(), vec![file("data/sub/old", 10)]),
        (
            "b".to_string(),
            vec![
                entry("data/sub", EntryKind::Opaque),
                file("data/sub/new", 3),
            ],
        ),
    ];
    let report = analyse("img", &layers, &[]);
    assert_eq!(report.wasted, 10);
    assert_eq!(report.total, 13);
}

#[test]
fn nothing_wasted_means_full_efficiency() {
    let layers = vec![("a".to_string(), vec![file("x", 5)])];
    let report = analyse("img", &layers, &[]);
    assert_eq!(report.efficiency, 1.0);
    assert!(report.suggestions.is_empty());
}

#[test]
fn apt_lists_left_behind_are_suggested_away() {
    let layers = vec![(
        "a".to_string(),
        vec![file(
            "var/lib/apt/lists/deb.debian.org_Packages",
            20 * 1024 * 1024,
        )],
    )];
    let report = analyse("img", &layers, &[]);
    assert!(report.suggestions[0].contains("rm -rf /var/lib/apt/lists/*"));
}

#[test]
fn history_steps_map_to_layers_skipping_empty_ones() {
    let got = instructions_for_layers(&gen_history(), 3);
    assert_eq!(got[0], "ADD file:abc in /");
    assert_eq!(got[2], "RUN rm /big");
}

#[test]
fn base_images_get_the_documents_advice() {
    assert!(
        base_image_advice("node:22")
            .unwrap()
            .contains("node:22-alpine")
    );
    assert!(base_image_advice("node:22-alpine").is_none());
    assert!(
        base_image_advice("python:3.12")
            .unwrap()
            .contains("python:3.12-slim")
    );
    assert!(
        base_image_advice("golang:1.23")
            .unwrap()
            .contains("distroless")
    );
}

#[test]
fn sizes_parse_like_docker() {
    assert_eq!(parse_size("512m"), Some(512 << 20));
    assert_eq!(parse_size("1.5GiB"), Some(3 << 29));
    assert_eq!(parse_size("200MB"), Some(200 << 20));
    assert_eq!(parse_size("42"), Some(42));
    assert_eq!(parse_size("12 parsecs"), None);
}

#[test]
fn thresholds_report_what_they_break() {
    let layers = vec![
        ("a".to_string(), vec![file("x", 100)]),
        ("b".to_string(), vec![entry("x", EntryKind::Whiteout)]),
    ];
    let report = analyse("img", &layers, &[]);
    let broken = threshold_failures(&report, Some(50), Some(0.5));
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(threshold_failures(&report, Some(1000), None).is_empty());
}
