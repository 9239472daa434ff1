import Logging
import Metrics
import PayGridStore
import ServiceLifecycle
import Synchronization

/// The single ledger writer (group commit).
///
/// Callers submit work; the writer takes up to `batchSizeMax` queued jobs, runs each in its own
/// savepoint inside one batch (so a rejected job does not sink the batch), makes the batch durable
/// once — one fsync for the whole batch — and only then answers each caller. Nothing is
/// acknowledged before it is durable. A store with a write journal makes the batch durable there
/// and commits its tables later (`Store.publish`): when the queue runs dry, after
/// `publishJobsMax` jobs, or after `publishInterval` — whichever comes first.
public final class LedgerWriter: Service, Sendable {
    public enum WriterError: Error, Sendable {
        /// The writer is shutting down and takes no new work.
        case stopped
    }

    private struct Job: Sendable {
        let run: @Sendable (any StoreWriter) throws -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct Queue {
        var jobs: [Job] = []
        var waiter: CheckedContinuation<Void, Never>?
        var stopped = false
        /// A wake-up that came before anyone waited (the idle timer firing early): the next wait
        /// returns at once instead of sleeping through it.
        var woken = false
    }

    private let store: any Store
    private let batchSizeMax: Int
    /// Batches go through the store's write journal (`Store.writeBatch`), or each commits as its own
    /// transaction (`Store.write`: the path before the journal, kept to compare against).
    private let journaled: Bool
    private let publishJobsMax: Int
    private let publishInterval: Duration
    /// How long the queue must stay empty before the writer publishes: callers answered by one
    /// batch submit their next work within microseconds, and should not each cost a commit.
    private let publishIdleDelay: Duration = .milliseconds(2)
    /// Jobs and time since the last publish; touched only by `run`'s loop.
    private let sincePublish = Mutex((jobs: 0, at: ContinuousClock.now))
    private let queue = Mutex(Queue())
    private let totals = Mutex((batches: 0, jobs: 0, commitNanoseconds: Int64(0)))
    private let retried = Mutex(0)
    private let logger: Logger
    private let batchSize = Recorder(label: "paygrid_writer_batch_size")
    private let commitLatency = Metrics.Timer(label: "paygrid_writer_commit_seconds")
    private let jobsCommitted = Counter(label: "paygrid_writer_jobs_committed_total")
    private let conflictsRetriedCounter = Counter(label: "paygrid_writer_conflicts_retried_total")

    public init(
        store: any Store, batchSizeMax: Int = 512, journaled: Bool = true, publishJobsMax: Int = 50_000,
        publishInterval: Duration = .milliseconds(250), logger: Logger = Logger(label: "paygrid.writer")
    ) {
        precondition(batchSizeMax >= 1)
        self.store = store
        self.batchSizeMax = batchSizeMax
        self.journaled = journaled
        self.publishJobsMax = publishJobsMax
        self.publishInterval = publishInterval
        self.logger = logger
    }

    /// Batches run again after another instance overtook them (see `conflictRetries`).
    public var conflictsRetried: Int { retried.withLock { $0 } }

    /// Batches and jobs committed so far, and the time spent in batch transactions.
    public var statistics: (batches: Int, jobs: Int, commitSeconds: Double) {
        totals.withLock { ($0.batches, $0.jobs, Double($0.commitNanoseconds) / 1e9) }
    }

    /// Jobs waiting for the next batch.
    public var queuedCount: Int { queue.withLock { $0.jobs.count } }

    /// Runs `work` in the next batch; returns after the batch's commit is durable.
    public func submit<T: Sendable>(_ work: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let box = ResultBox<T>()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                run: { writer in box.set(try work(writer)) },
                finish: { error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else {
                        continuation.resume(returning: box.take())
                    }
                })
            let (accepted, waiter) = queue.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard !state.stopped else { return (false, nil) }
                state.jobs.append(job)
                defer { state.waiter = nil }
                return (true, state.waiter)
            }
            if !accepted { continuation.resume(throwing: WriterError.stopped) }
            waiter?.resume()
        }
    }

    /// Processes batches until graceful shutdown; then finishes what is queued and stops.
    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                var unpublished = false
                while let batch = await nextBatch(idleTimeout: unpublished ? publishIdleDelay : nil) {
                    if batch.isEmpty {
                        await publish()
                        unpublished = false
                        continue
                    }
                    await commit(batch)
                    unpublished = true
                    if publishIsDue() {
                        await publish()
                        unpublished = false
                    }
                }
                await publish()
            } onGracefulShutdown: {
                self.stop()
            }
        } onCancel: {
            self.stop()
        }
    }

    /// Stops taking work; queued jobs are still committed.
    public func stop() {
        let waiter = queue.withLock { state -> CheckedContinuation<Void, Never>? in
            state.stopped = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    private func publishIsDue() -> Bool {
        sincePublish.withLock { $0.jobs >= publishJobsMax || ContinuousClock.now - $0.at >= publishInterval }
    }

    /// Commits journaled batches into the store's tables; a failure is logged (the store keeps the
    /// batches in its journal and the next publish, or a restart, brings them in).
    private func publish() async {
        do {
            try await store.publish()
        } catch {
            logger.error("publishing ledger batches failed", metadata: ["error": "\(error)"])
        }
        sincePublish.withLock { $0 = (0, ContinuousClock.now) }
    }

    /// Waits for work; nil once stopped and drained; empty when `idleTimeout` passed without work.
    private func nextBatch(idleTimeout: Duration?) async -> [Job]? {
        while true {
            enum Next { case batch([Job]), done, wait }
            let next = queue.withLock { state -> Next in
                if !state.jobs.isEmpty {
                    let count = min(batchSizeMax, state.jobs.count)
                    let batch = Array(state.jobs.prefix(count))
                    state.jobs.removeFirst(count)
                    return .batch(batch)
                }
                return state.stopped ? .done : .wait
            }
            switch next {
            case .batch(let jobs): return jobs
            case .done: return nil
            case .wait:
                // A timer that wakes the wait below; an empty queue after waking means it fired.
                let timer = idleTimeout.map { timeout in
                    Task { [weak self] in
                        try? await Task.sleep(for: timeout)
                        self?.wake()
                    }
                }
                defer { timer?.cancel() }
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = queue.withLock { state -> Bool in
                        if !state.jobs.isEmpty || state.stopped || state.woken {
                            state.woken = false
                            return true
                        }
                        state.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
                if idleTimeout != nil, queue.withLock({ $0.jobs.isEmpty && !$0.stopped }) { return [] }
            }
        }
    }

    /// Resumes a waiting `nextBatch`, which looks at the queue again.
    private func wake() {
        let waiter = queue.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.waiter = nil }
            if state.waiter == nil { state.woken = true }
            return state.waiter
        }
        waiter?.resume()
    }

    /// How many times a batch rolled back for a conflict with another instance (PostgreSQL's
    /// serialization failures) runs again before its callers hear the conflict. Nothing of a
    /// rolled-back batch was written, and each job reads again what the other instance wrote.
    public static let conflictRetries = 3

    private func commit(_ jobs: [Job]) async {
        var outcomes = OutcomeBox(count: jobs.count)
        let start = ContinuousClock.now
        var attempt = 0
        while true {
            do {
                let box = outcomes
                let run: @Sendable (any StoreWriter) throws -> Void = { writer in
                    for (index, job) in jobs.enumerated() {
                        do { try writer.savepoint { try job.run(writer) } } catch { box.set(index, error) }
                    }
                }
                if journaled { try await store.writeBatch(run) } else { try await store.write(run) }
                break
            } catch StoreError.conflict where attempt < Self.conflictRetries {
                attempt += 1
                conflictsRetriedCounter.increment()
                retried.withLock { $0 += 1 }
                outcomes = OutcomeBox(count: jobs.count)
                // A little apart, so the instances that collided do not collide again in step.
                try? await Task.sleep(for: .milliseconds(Int.random(in: 1...(4 << attempt))))
            } catch {
                logger.error(
                    "ledger batch failed to commit", metadata: ["error": "\(error)", "batch.size": "\(jobs.count)"])
                for job in jobs { job.finish(error) }
                return
            }
        }
        let elapsed = ContinuousClock.now - start
        totals.withLock {
            $0.batches += 1
            $0.jobs += jobs.count
            $0.commitNanoseconds +=
                elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        }
        commitLatency.recordInterval(since: start)
        batchSize.record(jobs.count)
        jobsCommitted.increment(by: jobs.count)
        sincePublish.withLock { $0.jobs += jobs.count }
        for (index, job) in jobs.enumerated() { job.finish(outcomes.error(index)) }
    }
}

/// Hands a job's result from the batch transaction to its caller; used by one job at a time.
private final class ResultBox<T>: @unchecked Sendable {
    private var value: T?
    func set(_ value: T) { self.value = value }
    func take() -> T { value! }
}

/// Per-job errors of one batch, written inside the transaction and read after the commit.
private final class OutcomeBox: @unchecked Sendable {
    private var errors: [(any Error)?]
    init(count: Int) { errors = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ error: any Error) { errors[index] = error }
    func error(_ index: Int) -> (any Error)? { errors[index] }
}

extension Metrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
