mod config_load;

fn main() {}
