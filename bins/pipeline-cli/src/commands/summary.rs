//! The end-of-run summary: one line per stage with status, duration and its key counters.

use pipeline_engine::CycleReport;

use crate::output;

pub fn print(report: &CycleReport) {
    println!("cycle {}", report.cycle_id);
    if let Some(owner) = &report.took_over {
        println!("  took over a stale lock from {owner}; its runs were marked abandoned");
    }
    println!("  {:<10} {:<11} {:>9}  counters", "stage", "status", "duration");
    for stage in &report.stages {
        let counters: Vec<String> = stage
            .counters
            .iter()
            .filter(|(_, v)| *v > 0)
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        println!(
            "  {:<10} {:<11} {:>9}  {}",
            stage.stage,
            stage.status.as_str(),
            output::duration(stage.duration),
            if counters.is_empty() {
                "-".to_owned()
            } else {
                counters.join(" ")
            }
        );
        for line in stage.message.iter().flat_map(|m| m.lines()) {
            println!("  {:<10} {line}", "");
        }
    }
    if report.interrupted {
        println!("  interrupted: in-flight work released, runs marked interrupted");
    }
}
