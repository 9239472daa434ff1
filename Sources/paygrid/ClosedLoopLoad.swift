import ArgumentParser
import Foundation

/// A closed-loop load: `connections` clients each send their next request as soon as the last is
/// answered, until `total` requests in all; request `n` is the caller's. Answers each request's
/// latency (seconds, sorted) and the whole run's seconds. Any answer but 201 stops the run.
struct ClosedLoopLoad {
    var total: Int
    var connections: Int

    struct Measured {
        var latencies: [Double]
        var seconds: Double

        var throughput: Double { Double(latencies.count) / seconds }
        /// The latency at `fraction` of the sorted samples, in milliseconds.
        func percentile(_ fraction: Double) -> Double {
            latencies[min(Int(Double(latencies.count) * fraction), latencies.count - 1)] * 1000
        }
        /// "N/s, p50 X ms, p99 Y ms".
        var summary: String {
            String(format: "%.0f payments/s, p50 %.1f ms, p99 %.1f ms", throughput, percentile(0.5), percentile(0.99))
        }
    }

    func run(_ request: @escaping @Sendable (Int) async throws -> UInt) async throws -> Measured {
        let total = total, connections = connections
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<connections {
                group.addTask {
                    var samples: [Double] = []
                    var n = worker
                    while n < total {
                        let t0 = ContinuousClock.now
                        let status = try await request(n)
                        samples.append(BenchCommand.elapsed(since: t0))
                        guard status == 201 else { throw ValidationError("request \(n) answered \(status)") }
                        n += connections
                    }
                    return samples
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }.sorted()
        }
        return Measured(latencies: latencies, seconds: BenchCommand.elapsed(since: start))
    }
}
