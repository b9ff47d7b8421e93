"""What the benchmark scripts in bench/ share; not benchmarks themselves (make bench skips them)."""
