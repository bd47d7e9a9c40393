//! The directory stage from the command line: built-in directories unreachable, CSV lists loaded twice or
//! with bad rows, the companies CSV export, JSON logs.

use expect_test::expect;
use pipeline_db::repo::companies;

use crate::{cli, closed_port, csv_config, db, normalize, run};

#[test]
fn once_from_an_empty_directory_uses_defaults_and_reports_unreachable_directories() {
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port();
    let (code, out, err) = run(cli(dir.path())
        .args(["once", "--stage", "directory"])
        .env(
            "PIPELINE_DIRECTORY__BUILTIN_URLS__CATALONIA",
            format!("http://127.0.0.1:{port}/list-of-startups"),
        )
        .env(
            "PIPELINE_DIRECTORY__BUILTIN_URLS__MADRIMASD",
            format!("http://127.0.0.1:{port}/m"),
        )
        .env(
            "PIPELINE_DIRECTORY__BUILTIN_URLS__LANZADERA",
            format!("http://127.0.0.1:{port}/proyectos/"),
        )
        .env("PIPELINE_HTTP__RETRIES", "0"));
    assert_eq!(code, 3, "stdout: {out}\nstderr: {err}");
    assert!(dir.path().join("data/pipeline.db").exists());
    expect![[r#"
        cycle <cycle>
          stage      status       duration  counters
          directory  partial         <dur>  requests=3 sources_failed=3
                     catalonia: http://127.0.0.1:<port>/list-of-startups: connection failed: tcp connect error: Connection refused (os error <n>)
                     madrimasd: http://127.0.0.1:<port>/m: connection failed: tcp connect error: Connection refused (os error <n>)
                     lanzadera: http://127.0.0.1:<port>/proyectos/: connection failed: tcp connect error: Connection refused (os error <n>)
    "#]].assert_eq(&normalize(&out, dir.path()));
}

#[test]
fn the_same_csv_loaded_twice_makes_no_duplicates_and_updates_last_seen() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(
        dir.path(),
        "name,website\nAcme,https://acme.com\nAcme SL,http://www.ACME.com/\nBeta,beta.io\nSolo Name,\n",
    );
    let (code, out, err) = run(cli(dir.path()).args(["once", "--stage", "directory"]));
    assert_eq!(code, 0, "{out}\n{err}");
    expect![[r#"
        cycle <cycle>
          stage      status       duration  counters
          directory  succeeded       <dur>  companies_new=3 companies_updated=1 rows_read=4 sources_ok=1
    "#]]
    .assert_eq(&normalize(&out, dir.path()));
    let first = db(dir.path()).read(|c| companies::entries_of(c, 1)).unwrap()[0].last_seen_at;
    let (code, out, _) = run(cli(dir.path()).args(["once", "--stage", "directory"]));
    assert_eq!(code, 0);
    expect![[r#"
        cycle <cycle>
          stage      status       duration  counters
          directory  succeeded       <dur>  companies_updated=2 rows_read=4 sources_ok=1
    "#]]
    .assert_eq(&normalize(&out, dir.path()));
    let entries = db(dir.path()).read(|c| companies::entries_of(c, 1)).unwrap();
    assert!(entries[0].last_seen_at > first && entries[0].first_seen_at < entries[0].last_seen_at);
    let (code, text, _) = run(cli(dir.path()).arg("companies"));
    assert_eq!(code, 0);
    // Every line of the table starts with spaces, which a snapshot would take for its indentation: the
    // command line heads it.
    expect![[r#"
        $ pipeline-cli companies
            id  name                             domain                       score strong  resolution     boards                             sources
             1  Acme SL                          acme.com                       0.0      0  PENDING        -                                  list
             2  Beta                             beta.io                        0.0      0  PENDING        -                                  list
             3  Solo Name                                                       0.0      0  PENDING        -                                  list
    "#]].assert_eq(&format!("$ pipeline-cli companies\n{text}"));
    let (_, json, _) = run(cli(dir.path()).args(["companies", "--json"]));
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(list[0]["sources"], serde_json::json!(["list"]));
    assert_eq!(list[0]["domain"], "acme.com");
}

#[test]
fn bad_rows_are_reported_with_source_and_line_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(
        dir.path(),
        "name,website\nGood,good.es\n,\nBad Url,http://bad url\nToo,many,fields\nAlso Good,also.es\n",
    );
    let (code, out, err) = run(cli(dir.path()).args(["once", "--stage", "directory"]));
    assert_eq!(code, 0, "{out}\n{err}");
    expect![[r#"
        cycle <cycle>
          stage      status       duration  counters
          directory  succeeded       <dur>  companies_new=2 rows_bad=3 rows_read=5 sources_ok=1
    "#]]
    .assert_eq(&normalize(&out, dir.path()));
    for line in ["line 3", "line 4", "line 5"] {
        assert!(
            err.contains(line) && err.contains("list"),
            "missing {line} in {err}"
        );
    }
}

#[test]
fn companies_csv_has_the_contract_columns() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(dir.path(), "name,website\nAcme,acme.com\n");
    assert_eq!(run(cli(dir.path()).args(["once", "--stage", "directory"])).0, 0);
    let (code, out, _) = run(cli(dir.path()).args(["companies", "--csv"]));
    assert_eq!(code, 0);
    expect![[r#"
        id,name,domain,website,resolution,boards,max_score,offer_count,unique_offer_count,strong_offer_count,open_offer_count,avg_strong_score,top_category,top_category_name,top_offer_url,last_strong_at,sources
        1,Acme,acme.com,https://acme.com/,PENDING,,0.0,0,0,0,0,,,,,,list
    "#]].assert_eq(&out);
}

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    csv_config(dir.path(), "name,website\n,\nAcme,acme.com\n");
    let (code, _, err) = run(cli(dir.path()).args(["once", "--stage", "directory", "--log-format", "json"]));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = err.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let bad = lines.iter().find(|l| l["message"] == "bad row skipped").unwrap();
    assert_eq!(
        (bad["source"].as_str(), bad["location"].as_str()),
        (Some("list"), Some("line 2"))
    );
}

#[test]
fn export_writes_the_sheets_columns_and_neutralizes_formulas() {
    let dir = tempfile::tempdir().unwrap();
    crate::csv_config(
        dir.path(),
        "name,website\n\"=IMPORTXML(\"\"http://x\"\",\"\"//a\"\")\",https://evil.example\nAcme SL,https://acme.com\n",
    );
    assert_eq!(run(cli(dir.path()).args(["once", "--stage", "directory"])).0, 0);
    let (code, csv, err) = run(cli(dir.path()).arg("export"));
    assert_eq!(code, 0, "{err}");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "ID Empresa,Empresa,Resolución,Score máx.,Ofertas fuertes,Ofertas únicas,Actividad publicaciones,URL Oferta Top,Categoría top,Última señal fuerte,Feedback Modelo,Notas Modelo,Web,ATS,Ofertas abiertas"
    );
    assert!(csv.contains("'=IMPORTXML"), "{csv}");
    assert!(
        csv.contains("2,Acme SL,PENDING,0.0,0,0,0,,,,,,https://acme.com/,,0"),
        "{csv}"
    );
    let (_, companies_csv, _) = run(cli(dir.path()).args(["companies", "--csv"]));
    assert!(companies_csv.contains("'=IMPORTXML"), "{companies_csv}");

    let out = dir.path().join("export.json");
    let (code, _, err) = run(cli(dir.path())
        .args(["export", "--format", "json", "--output"])
        .arg(&out));
    assert_eq!(code, 0, "{err}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .any(|r| r["company_name"] == "=IMPORTXML(\"http://x\",\"//a\")"),
        "JSON keeps text as it is"
    );
    for key in [
        "company_id",
        "max_score",
        "top_category",
        "model_feedback",
        "website",
        "ats",
        "open_offers",
    ] {
        assert!(rows[0].get(key).is_some(), "{key}");
    }
}
