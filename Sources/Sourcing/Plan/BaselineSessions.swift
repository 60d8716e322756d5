import LinearModel
import Synchronization

/// Solve sessions open on a baseline instance's model, shared by the
/// threads of a what-if or sweep: a thread takes a free session (or opens
/// one, which solves the baseline), solves its model in it and gives it
/// back, so each session is used by one thread at a time.
public final class BaselineSessions: Sendable {
    private let baseline: Instance
    private let pipeline: SourcingPipeline
    /// Threads of the solver each session (and each explanation) uses.
    public let threads: Int
    private let free = Mutex<[any SolveSession]>([])
    /// The baseline's model, built by the first session opened and reused by the others.
    private let model = Mutex<Model?>(nil)

    init(baseline: Instance, pipeline: SourcingPipeline, threads: Int) {
        self.baseline = baseline
        self.pipeline = pipeline
        self.threads = threads
    }

    /// Runs `body` with a session of this thread's own; the first call on
    /// each thread opens one with `options`.
    func withSession<T>(options: SolveOptions, _ body: (any SolveSession) throws -> T) throws -> T {
        let session: any SolveSession
        if let existing = free.withLock({ $0.popLast() }) {
            session = existing
        } else {
            session = try pipeline.makeSolver(threads).session(try baselineModel(), options: options)
        }
        defer { free.withLock { $0.append(session) } }
        return try body(session)
    }

    private func baselineModel() throws -> Model {
        try model.withLock { (model: inout Model?) throws -> Model in
            if let model { return model }
            let built = try SourcingModel(Network(baseline), formulation: pipeline.options.formulation).model
            model = built
            return built
        }
    }
}

/// The results of parallel cases, by case index.
final class CaseResults<Row: Sendable>: Sendable {
    private let results: Mutex<[Result<Row, any Error>?]>

    init(count: Int) { results = Mutex(Array(repeating: nil, count: count)) }

    func set(_ k: Int, _ result: Result<Row, any Error>) { results.withLock { $0[k] = result } }

    /// The finished cases' rows in case order; the first failure throws.
    func finished() throws -> [Row] {
        try results.withLock { $0 }.compactMap { try $0?.get() }
    }
}
