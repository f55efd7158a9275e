/**
 * JMH microbenchmarks of the heap's hot paths: allocation, field reads and writes through the
 * write barrier, minor collections at several survival rates, ephemeron accessors, and (with the
 * tables) table find/replace and weak-set merge. Built only with the {@code jmh} profile:
 * {@code ./mvnw -q -B -pl bench -am -Pjmh package -DskipTests}, then
 * {@code java -jar bench/target/benchmarks.jar} (docs/benchmarks.md has the exact commands and
 * the figures).
 */
package dev.ephemera.bench.jmh;
