import ArgumentParser
import FoundationEssentials
import Dispatch
import Glibc
import GLPK
import LinearModel
import Sourcing
import Synchronization

/// `planner sweep FILE --scenarios DIR|FILE.jsonl`: many what-ifs, one row each.
struct SweepCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument { case csv, jsonl }

    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Solve many scenarios against one instance: one row per scenario, in input order.",
        discussion: """
            Rows are appended as they finish (in input order), so an interrupted sweep keeps every \
            finished row; --resume continues it. --shard I/N runs the scenarios whose index modulo N \
            is I-1, for array jobs; `planner sweep-merge` joins the shards' outputs.
            """)

    @Argument(help: "The instance (default: the bundled one).") var file: String?
    @Option(help: "A folder of scenario files (*.json, in name order) or a .jsonl file (one scenario per line).")
    var scenarios: String
    @Option(name: .shortAndLong, help: "The output file (rows are appended as they finish).") var output: String
    @Option(help: "csv or jsonl (default: from the output's extension).") var format: Format?
    @Option(help: "Run only slice I of N (1-based), e.g. 2/8.") var shard: String?
    @Flag(help: "Continue an interrupted sweep: keep the rows already in the output.") var resume = false
    @Flag(help: "Add a solve_seconds column (makes the output depend on timing).") var timings = false
    @Flag(inversion: .prefixedNo, help: "Reuse the baseline model: warm re-solves of the changed blocks only (default on).")
    var reuse = true
    @OptionGroup var solver: SolverOptions

    var outputFormat: Format { format ?? (output.hasSuffix(".jsonl") ? .jsonl : .csv) }

    func shardSlice() throws -> (index: Int, count: Int) {
        guard let shard else { return (0, 1) }
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
            throw ValidationError("--shard must be I/N with 1 <= I <= N, not '\(shard)'")
        }
        return (parts[0] - 1, parts[1])
    }

    func validate() throws { _ = try shardSlice() }

    static let header = ["index", "name", "status", "cost", "shortfall", "exposed_share"]

    func run() throws {
        let path = InstanceInput.path(file)
        // The output must not be one of the inputs: it is truncated first.
        for input in [path, scenarios] where Self.sameFile(input, output) {
            fail("--output \(output) is the input \(input); it would be overwritten", code: PlannerExit.invalidInput)
        }
        let (base, _) = InstanceInput.load(path)
        let all = loadScenarios()
        let (shardIndex, shardCount) = try shardSlice()
        var todo = all.indices.filter { $0 % shardCount == shardIndex }
        let done = resume ? SweepOutput.finishedIndices(output, format: outputFormat) : []
        todo.removeAll { done.contains($0) }
        let writer = try SweepOutput(path: output, format: outputFormat, header: Self.header + (timings ? ["solve_seconds"] : []),
                                     append: resume && FileManager.default.fileExists(atPath: output))
        let sink: LogSink
        do { sink = try LogSink(verbose: solver.verbose, path: solver.log) } catch { fail("\(error)", code: PlannerExit.invalidInput) }
        let progress = Progress(total: todo.count)
        let pool = SolverPool(base: base, solver: solver, sink: sink, size: solver.threads)
        let reuse = self.reuse
        let solverOptions = solver, withTimings = timings
        // Workers take scenarios in order; each finished row enters a
        // reorder buffer and every row whose predecessors are written is
        // written at once. On Ctrl-C the finished rows still waiting are
        // written too (a later --resume fills the gaps and restores order).
        let order = todo
        let stream = RowStream(writer: writer, order: order, progress: progress)
        stream.installInterruptHandler()
        parallelForEach(order.count, threads: solver.threads, shouldStop: { stream.isInterrupted }) { k in
            let index = order[k]
            let (name, scenario) = all[index]
            let began = Date()
            let changed = scenario.flatMap { scenario in
                Result { () throws(InstanceError) -> Instance in
                    try ScenarioApplier.apply(scenario, to: base, scenarioFile: name, instanceFile: path).0
                }
            }
            var row: [String]
            switch changed {
            case .failure(let error):
                row = ["\(index)", name, "invalid: " + (error.diagnostics.first?.description ?? "error"), "", "", ""]
            case .success(let changed):
                let plan = reuse ? pool.plan(changed) : solvePlan(changed, solverOptions, sink: sink, threads: 1)
                let delivered = plan.deliveries.reduce(0) { $0 + $1.delivered }
                let exposed = plan.productFlows.reduce(0) { $0 + $1.exposed }
                row = ["\(index)", name, plan.status.rawValue, formatNumber(plan.objective),
                       plan.objective == nil ? "" : formatNumber(clean(plan.deliveries.reduce(0) { $0 + $1.shortfall })),
                       delivered > 0 ? formatNumber(clean(exposed / delivered)) : ""]
            }
            if withTimings { row.append(cFormat("%.4f", Date().timeIntervalSince(began))) }
            stream.finished(k, row)
        }
        progress.finish()
        if let failure = stream.writeFailure {
            fail(failure + " (the rows written so far are complete; --resume continues)", code: PlannerExit.outputUnwritable)
        }
        // A resumed sweep may hold rows out of order after an interruption: restore input order.
        if resume { try SweepOutput.sortByIndex(output, format: outputFormat) }
    }

    /// Whether two paths name the same file (same device and inode).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Every scenario with its name, in input order (a bad one becomes an error row).
    func loadScenarios() -> [(String, Result<Scenario, InstanceError>)] {
        guard FileManager.default.fileExists(atPath: scenarios) else {
            fail("\(scenarios): no such file or folder", code: PlannerExit.invalidInput)
        }
        if FileBytes.isDirectory(scenarios) {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: scenarios)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            return names.map { name in
                let file = scenarios + "/" + name
                return (String(name.dropLast(5)), Result { () throws(InstanceError) in try ScenarioLoader.load(path: file) })
            }
        }
        // A `.json` file is one scenario (pretty-printed over many lines);
        // JSON Lines (one scenario per line) is any other file, `.jsonl`.
        if scenarios.hasSuffix(".json") {
            let parsed = Result { () throws(InstanceError) in try ScenarioLoader.load(path: scenarios) }
            let name = (try? parsed.get())?.name ?? URL(fileURLWithPath: scenarios).deletingPathExtension().lastPathComponent
            return [(name, parsed)]
        }
        guard let data = FileManager.default.contents(atPath: scenarios) else {
            fail("\(scenarios): cannot be read", code: PlannerExit.invalidInput)
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var result: [(String, Result<Scenario, InstanceError>)] = []
        for (k, line) in lines.enumerated() where !line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
            let file = "\(scenarios):\(k + 1)"
            let parsed = Result { () throws(InstanceError) in try ScenarioLoader.decode(Data(line), file: file) }
            let name = (try? parsed.get())?.name ?? "line \(k + 1)"
            result.append((name, parsed))
        }
        return result
    }
}

/// Writes finished rows in input order as soon as their predecessors are
/// written; on SIGINT writes every finished row and exits 130.
final class RowStream: @unchecked Sendable {
    /// Finished rows not yet written (by position), and the next position to write.
    private let state = Mutex<(pending: [Int: [String]], next: Int)>(([:], 0))
    private let writer: SweepOutput
    private let progress: Progress
    private let count: Int
    private let interrupted = Atomic<Bool>(false)
    /// The first write that failed (a full disk, a closed pipe): the sweep
    /// stops and exits 1 with it, never 0 with rows lost.
    private let failure = Mutex<String?>(nil)
    private var signalSource: (any DispatchSourceSignal)?

    init(writer: SweepOutput, order: [Int], progress: Progress) {
        self.writer = writer
        self.progress = progress
        self.count = order.count
    }

    var isInterrupted: Bool { interrupted.load(ordering: .relaxed) || writeFailure != nil }

    /// Why a row could not be written, if one could not.
    var writeFailure: String? { failure.withLock { $0 } }

    func finished(_ position: Int, _ row: [String]) {
        let problem: String? = state.withLock { (state: inout (pending: [Int: [String]], next: Int)) -> String? in
            state.pending[position] = row
            while let ready = state.pending.removeValue(forKey: state.next) {
                do {
                    try writer.append(ready)
                } catch {
                    return "\(writer.path): cannot be written: \((error as? FileBytes.OutputFailure)?.reason ?? "\(error)")"
                }
                state.next += 1
                progress.advance(by: 1)
            }
            return nil
        }
        if let problem { failure.withLock { first in if first == nil { first = problem } } }
    }

    func installInterruptHandler() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            interrupted.store(true, ordering: .relaxed)
            state.withLock { state in
                for position in state.pending.keys.sorted() { if let row = state.pending[position] { try? writer.append(row) } }
                state.pending.removeAll()
            }
            FileBytes.writeError("\nplanner: interrupted; every finished row is in the output (--resume continues)\n")
            exit(130)
        }
        source.resume()
        signalSource = source
    }
}

/// Rows of a sweep, appended line by line (each line one write, flushed).
final class SweepOutput {
    let path: String
    let handle: DescriptorFile
    let format: SweepCommand.Format
    let header: [String]

    init(path: String, format: SweepCommand.Format, header: [String], append: Bool) throws {
        self.path = path
        self.format = format
        self.header = header
        if append {
            SweepOutput.dropPartialLine(path)
            guard let handle = DescriptorFile(path: path, append: true) else { throw ValidationError("cannot append to \(path)") }
            self.handle = handle
        } else {
            guard let handle = DescriptorFile(path: path, append: false) else { throw ValidationError("cannot write \(path)") }
            self.handle = handle
            if format == .csv {
                do { try handle.writeChecked(Table(name: "", header: header, rows: []).csv()) } catch {
                    throw AtomicFile.WriteError(path: path, reason: error.reason)
                }
            }
        }
    }

    func append(_ row: [String]) throws(FileBytes.OutputFailure) {
        let line: String
        switch format {
        case .csv:
            line = Table(name: "", header: row, rows: []).csv()
        case .jsonl:
            let members = zip(header, row).map { key, value -> (key: String, value: JSONValue) in
                if key == "index", let n = Double(value) { return (key, .number(n)) }
                if ["cost", "shortfall", "exposed_share", "solve_seconds"].contains(key) {
                    return (key, Double(value).map { .number($0) } ?? .null)
                }
                return (key, .string(value))
            }
            line = String(decoding: JSONWriter.encode(.object(members), style: .compact), as: UTF8.self) + "\n"
        }
        try handle.writeChecked(line)
    }

    /// Rewrites the output with its rows in index order (atomically).
    static func sortByIndex(_ path: String, format: SweepCommand.Format) throws {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        let header = format == .csv && !lines.isEmpty ? lines.removeFirst() : nil
        func index(_ line: String) -> Int {
            switch format {
            case .csv: return line.split(separator: ",").first.flatMap { Int($0) } ?? Int.max
            case .jsonl: return ((try? JSONParser.parse(line))?["index"]?.numberValue).map { Int($0) } ?? Int.max
            }
        }
        let sorted = lines.map { (index($0), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        let text = ((header.map { [$0] } ?? []) + sorted).map { $0 + "\n" }.joined()
        if Data(text.utf8) != data { try AtomicFile.write(Data(text.utf8), to: path) }
    }

    /// Indices of the complete rows already in `path`.
    static func finishedIndices(_ path: String, format: SweepCommand.Format) -> Set<Int> {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if !text.hasSuffix("\n") { lines.removeLast() }  // a partial last line is redone
        var done = Set<Int>()
        for line in lines {
            switch format {
            case .csv:
                if let first = line.split(separator: ",").first, let n = Int(first) { done.insert(n) }
            case .jsonl:
                if let value = try? JSONParser.parse(line), let n = value["index"]?.numberValue { done.insert(Int(n)) }
            }
        }
        return done
    }

    static func dropPartialLine(_ path: String) {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty, data.last != UInt8(ascii: "\n") else { return }
        let keep = data.lastIndex(of: UInt8(ascii: "\n")).map { data.prefix(through: $0) } ?? Data()
        try? Data(keep).write(to: URL(fileURLWithPath: path))
    }
}

/// A progress line on stderr with rate and ETA, only when stderr is a terminal.
final class Progress {
    let total: Int
    var done = 0
    let start = Date()
    let active = isatty(2) != 0

    init(total: Int) { self.total = total }

    func advance(by count: Int) {
        done += count
        guard active else { return }
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        FileBytes.writeError("\r[\(done)/\(total)] \(cFormat("%.1f", rate)) scenarios/s, ETA \(cFormat("%.0f", eta)) s   ")
    }

    func finish() { if active { FileBytes.writeError("\n") } }
}

/// `planner sweep-merge -o OUT PART...`: join shard outputs in index order.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-merge", abstract: "Join the outputs of sweep shards into one, in scenario order.")

    @Argument(help: "The shard outputs (all CSV or all JSONL).") var parts: [String]
    @Option(name: .shortAndLong, help: "The merged output (written atomically).") var output: String

    func run() throws {
        var header: String?
        var rows: [(Int, String)] = []
        let jsonl = output.hasSuffix(".jsonl")
        for part in parts {
            guard let data = FileManager.default.contents(atPath: part) else { fail("\(part): cannot be read", code: PlannerExit.invalidInput) }
            var lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
            if !jsonl, !lines.isEmpty {
                let h = lines.removeFirst()
                if let header, header != h { fail("\(part): its header differs from the first part's", code: PlannerExit.invalidInput) }
                header = h
            }
            for line in lines {
                let index = jsonl ? (try? JSONParser.parse(line))?["index"]?.numberValue.map { Int($0) }
                                  : line.split(separator: ",").first.flatMap { Int($0) }
                guard let index else { fail("\(part): a row without an index: \(line.prefix(80))", code: PlannerExit.invalidInput) }
                rows.append((index, line))
            }
        }
        rows.sort { $0.0 < $1.0 }
        var seen = Set<Int>()
        let body = rows.filter { seen.insert($0.0).inserted }.map { $0.1 + "\n" }.joined()
        try AtomicFile.write(Data(((header.map { $0 + "\n" } ?? "") + body).utf8), to: output)
    }
}

/// Incremental solvers of the baseline model, one per sweep thread: a
/// scenario that keeps the model's shape (capacity, price, demand, cap
/// changes) re-solves only its changed blocks, warm; others are solved cold.
final class SolverPool: @unchecked Sendable {
    private let free = Mutex<[IncrementalSolver]>([])
    private let base: Instance
    private let solver: SolverOptions
    private let sink: LogSink

    init(base: Instance, solver: SolverOptions, sink: LogSink, size: Int) {
        self.base = base
        self.solver = solver
        self.sink = sink
    }

    private func take() -> IncrementalSolver? { free.withLock { $0.popLast() } }

    private func give(_ s: IncrementalSolver) { free.withLock { $0.append(s) } }

    func plan(_ instance: Instance) -> Plan {
        do {
            let built = try SourcingModel(Network(instance))
            var options = solver.solveOptions(log: sink)
            options.mipDuals = built.isMIP
            let incremental: IncrementalSolver
            if let existing = take() {
                incremental = existing
            } else {
                let baseline = try SourcingModel(Network(base))
                incremental = try IncrementalSolver(baseline.model, options: options)
            }
            defer { give(incremental) }
            let result = try incremental.solve(built.model)
            var plan = Plan(built, result)
            if plan.status == .infeasible {
                plan.explanation = try SourcingSolver(GLPKSolver()).explain(built.network, options: options)
            }
            return plan
        } catch {
            fail("solver failure: \(error)", code: PlannerExit.solverFailure)
        }
    }
}
