//! Every file in presets/ loads, and matches the parameters written in the notebooks.

use scorelab::prelude::*;

fn preset(name: &str) -> GaussianMixture {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../presets")
        .join(name);
    GaussianMixture::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_preset_loads() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../presets");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            GaussianMixture::load(&path).unwrap_or_else(|e| panic!("{e}"));
            n += 1;
        }
    }
    assert!(n >= 4);
}

#[test]
fn presets_hold_the_reference_parameters() {
    assert_eq!(
        preset("score_function_1d.json"),
        GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap()
    );
    assert_eq!(
        preset("score_function_2d.json"),
        GaussianMixture::new(
            &[0.3, 0.5, 0.2],
            &[[-3.0, 0.0], [3.0, 1.0], [0.0, -4.0]],
            &[
                [[1.0, 0.3], [0.3, 1.0]],
                [[1.5, -0.2], [-0.2, 1.0]],
                [[1.0, 0.0], [0.0, 1.5]]
            ],
        )
        .unwrap()
    );
    assert_eq!(
        preset("langevin_simulation_1d.json"),
        GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2]).unwrap()
    );
}

#[test]
fn save_and_load_round_trip() {
    let gm = preset("score_function_2d.json");
    let path = std::env::temp_dir().join(format!("scorelab-preset-{}.json", std::process::id()));
    gm.save(&path).unwrap();
    assert_eq!(GaussianMixture::load(&path).unwrap(), gm);
    std::fs::remove_file(&path).unwrap();
}
