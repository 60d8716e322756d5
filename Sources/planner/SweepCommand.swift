import ArgumentParser
import CSV
import Dispatch
import FileIO
import FoundationEssentials
import GLPK
import Glibc
import LinearModel
import Sourcing
import StrictJSON
import Synchronization

/// `planner sweep FILE --scenarios DIR|FILE.jsonl`: many what-ifs, one row each.
struct SweepCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument { case csv, jsonl }

    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Solve many scenarios against one instance: one row per scenario, in input order.",
        discussion: """
            Examples:
              planner sweep --scenarios instances/scenarios -o effects.csv
              planner sweep my-instance.json --scenarios cuts.jsonl -o part-2.csv --shard 2/8 --resume
              planner sweep-merge -o all.csv part-*.csv

            Rows are appended as they finish (in input order), so an interrupted sweep keeps every \
            finished row; --resume continues it. --shard I/N runs the scenarios whose index modulo N \
            is I-1, for array jobs; `planner sweep-merge` joins the shards' outputs. Every row carries \
            the sweep's fingerprint (instance, scenario list, options that change rows); --resume and \
            sweep-merge refuse rows of another sweep. An invalid scenario or a failed solve becomes a row \
            with its reason and the sweep goes on; it then exits 8. Exit codes: 0 every row solved; \
            8 some rows invalid or failed; 1 the output cannot be written; 2 invalid input or a refused \
            output; 130 interrupted (finished rows kept).
            """)

    @Argument(help: "The instance (default: the bundled one).") var file: String?
    @Option(help: "A folder of scenario files (*.json, in name order) or a .jsonl file (one scenario per line).")
    var scenarios: String
    @Option(name: .shortAndLong, help: "The output file (rows are appended as they finish).") var output: String
    @Option(help: "csv or jsonl (default: from the output's extension).") var format: Format?
    @Option(help: "Run only slice I of N (1-based), e.g. 2/8.") var shard: String?
    @Flag(help: "Continue an interrupted sweep: keep the rows already in the output (refused if they are another sweep's).")
    var resume = false
    @Flag(help: "Replace an existing output instead of refusing it.") var force = false
    @Flag(help: "No progress on stderr.") var quiet = false
    @Flag(help: "Add a solve_seconds column (makes the output depend on timing).") var timings = false
    @Flag(inversion: .prefixedNo, help: "Reuse the baseline model: warm re-solves of the changed blocks only (default on).")
    var reuse = true
    @OptionGroup(title: "Solver") var solver: SolverOptions
    @OptionGroup(title: "Solver") var modelOptions: ModelOptions

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

    /// The columns: every figure is unique at the optimum (the cost; the
    /// shortfall valued at reference prices), so a row does not depend on
    /// warm or cold starts, threads, shards or resume.
    static let header = ["index", "name", "status", "cost_usd", "shortfall_value_usd", "detail", "fingerprint"]

    /// The JSON Lines key of a column: its name in camelCase without the
    /// unit, as every JSON output of the planner names keys (`cost_usd` ->
    /// `cost`, `shortfall_value_usd` -> `shortfallValue`).
    static func jsonKey(_ column: String) -> String {
        switch column {
        case "cost_usd": "cost"
        case "shortfall_value_usd": "shortfallValue"
        case "solve_seconds": "solveSeconds"
        default: column
        }
    }

    /// The column of a JSON Lines key (the inverse of ``jsonKey(_:)``).
    static func column(ofJSONKey key: String) -> String {
        (header + ["solve_seconds"]).first { jsonKey($0) == key } ?? key
    }

    func run() throws {
        let path = InstanceInput.path(file)
        // The output must not be one of the inputs: it is truncated first.
        for input in [path, scenarios] where Self.sameFile(input, output) {
            try fail("--output \(output) is the input \(input); it would be overwritten", code: PlannerExit.invalidInput)
        }
        let (base, instanceBytes) = try InstanceInput.load(path)
        let all = try loadScenarios()
        let (shardIndex, shardCount) = try shardSlice()
        let header = Self.header + (timings ? ["solve_seconds"] : [])
        let fingerprint = Self.fingerprint(instance: instanceBytes, scenarios: all, options: fingerprintOptions())
        let exists = FileBytes.exists(output)
        if exists, !resume, !force, (try? FileBytes.read(output, limit: 1 << 30).isEmpty) == false {
            try fail("\(output) exists: --resume continues it, --force replaces it", code: PlannerExit.invalidInput)
        }
        let writer: SweepOutput
        do {
            writer = try SweepOutput(
                path: output, format: outputFormat, header: header, resume: resume && exists,
                fingerprint: fingerprint)
        } catch let error as SweepOutput.Refusal {
            try fail(error.message, code: PlannerExit.invalidInput)
        }
        var todo = all.indices.filter { $0 % shardCount == shardIndex }
        todo.removeAll { writer.finished.contains($0) }
        let sink: LogSink
        do { sink = try LogSink(verbose: solver.verbose, path: solver.log) } catch { try fail("\(error)", code: PlannerExit.invalidInput) }
        let progress = Progress(total: todo.count, quiet: quiet)
        let pipeline = solver.pipeline(sink: sink, model: modelOptions, reuse: reuse)
        let sessions = reuse ? pipeline.sessions(on: base) : nil
        let withTimings = timings
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
            let figures = pipeline.sweepRow(scenario, base: base, scenarioFile: name, instanceFile: path, sessions: sessions)
            var row = ["\(index)", name] + figures.fields + [fingerprint]
            if withTimings { row.append(cFormat("%.4f", Date().timeIntervalSince(began))) }
            stream.finished(k, row)
        }
        progress.finish()
        if let failure = stream.writeFailure {
            try fail(failure + " (the rows written so far are complete; --resume continues)", code: PlannerExit.outputUnwritable)
        }
        // A resumed sweep may hold rows out of order after an interruption: restore input order.
        let rows: [[String: String]]
        do { rows = try SweepOutput.sortByIndex(output, format: outputFormat, header: header) } catch {
            try fail("\(error)", code: PlannerExit.outputUnwritable)
        }
        let failed = rows.count { ["invalid", "error"].contains($0["status"] ?? "") }
        // The summary a person reads first: what the rows hold, the most
        // costly scenarios, by cost and by shortfall value (never tonnes).
        try FileBytes.writeStandardOutput(Data(Self.summary(rows, output: output, fingerprint: fingerprint).utf8))
        if failed > 0 {
            FileBytes.writeError(
                "planner: \(failed) scenario\(failed == 1 ? "" : "s") invalid or failed: their reasons are in the output's detail column\n")
            throw ExitCode(PlannerExit.someRowsFailed)
        }
    }

    /// The closing summary: how many rows by status, then the five
    /// scenarios of highest cost and of highest shortfall value (both
    /// unique at the optimum).
    static func summary(_ rows: [[String: String]], output: String, fingerprint: String) -> String {
        var byStatus: [String: Int] = [:]
        for row in rows { byStatus[row["status"] ?? "", default: 0] += 1 }
        var out =
            "sweep: \(rows.count) scenario\(rows.count == 1 ? "" : "s") in \(output) ("
            + byStatus.keys.sorted().map { "\(byStatus[$0] ?? 0) \($0)" }.joined(separator: ", ") + "); fingerprint \(fingerprint)\n"
        func top(_ column: String, _ title: String) {
            let ranked = rows.compactMap { row in Double(row[column] ?? "").map { (row["name"] ?? "", $0) } }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(5)
            guard let first = ranked.first, first.1 > 0 else { return }
            out += "\(title): " + ranked.map { "\($0.0) \(Readable.usd($0.1))" }.joined(separator: "; ") + "\n"
        }
        top("cost_usd", "highest cost")
        top("shortfall_value_usd", "highest shortfall value (reference prices)")
        return out + "every figure of a row is unique at the optimum; the rows are in the file (one per scenario)\n"
    }

    /// The options that change rows, in the fingerprint.
    func fingerprintOptions() -> String {
        let options = solver.solveOptions(log: nil)
        return "timings=\(timings) method=\(options.method) gap=\(options.relativeGap) "
            + "timeLimit=\(options.timeLimit.map { "\($0)" } ?? "none") presolve=\(options.presolve)"
    }

    /// The sweep's fingerprint: 16 hex digits of the SHA-256 of the
    /// instance's bytes, every scenario (name and canonical form, or its
    /// error) and the options that change rows, then `-` and the number of
    /// scenarios (so a merge knows when a shard is missing).
    static func fingerprint(instance: Data, scenarios: [(String, Result<Scenario, InstanceError>)], options: String) -> String {
        var text = "sourcing-sweep/2\n" + SHA256.hex(instance) + "\n" + options + "\n"
        for (name, scenario) in scenarios {
            text += name + "\n"
            switch scenario {
            case .success(let value): text += String(decoding: ScenarioEncoder.encode(value), as: UTF8.self)
            case .failure(let error): text += error.diagnostics.map(\.description).joined(separator: "\n")
            }
            text += "\n"
        }
        return String(SHA256.hex(Data(text.utf8)).prefix(16)) + "-\(scenarios.count)"
    }

    /// Whether two paths name the same file (same device and inode).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Every scenario with its name, in input order (a bad one becomes an error row).
    func loadScenarios() throws -> [(String, Result<Scenario, InstanceError>)] {
        guard FileBytes.exists(scenarios) else {
            try fail("\(scenarios): no such file or folder", code: PlannerExit.invalidInput)
        }
        if FileBytes.isDirectory(scenarios) {
            let names = (FileBytes.directoryEntries(scenarios) ?? []).filter { $0.hasSuffix(".json") }
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
        guard let data = try? FileBytes.read(scenarios, limit: Int.max / 2) else {
            try fail("\(scenarios): cannot be read", code: PlannerExit.invalidInput)
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
// @unchecked: `writer` (a file) is used only under `state`'s lock or, after
// SIGINT, by the one handler; `signalSource` is set once before any row.
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
            // The signal handler ends the process itself: the workers are
            // mid-solve and cannot be unwound, and every finished row is out.
            exit(PlannerExit.interrupted)
        }
        source.resume()
        signalSource = source
    }
}

/// The output of a sweep: held under an exclusive lock while the sweep
/// runs, rows appended one checked write each (a failed write is cut back).
final class SweepOutput {
    /// An output the sweep must not touch: another sweep's rows, another
    /// writer, a file it cannot read.
    struct Refusal: Error {
        let message: String
    }

    let path: String
    let handle: DescriptorFile
    let format: SweepCommand.Format
    let header: [String]
    /// Indices of the complete rows already in the output (resume).
    private(set) var finished = Set<Int>()

    /// Opens and locks `path`. A new sweep truncates it and writes the CSV
    /// header; `resume` keeps its rows after checking, with a real parser,
    /// that every one is a complete row of this sweep (same header, same
    /// fingerprint); a torn last row is cut off.
    init(path: String, format: SweepCommand.Format, header: [String], resume: Bool, fingerprint: String) throws {
        self.path = path
        self.format = format
        self.header = header
        guard let handle = DescriptorFile(path: path, append: false, truncate: false) else {
            throw AtomicFile.WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        guard handle.lockExclusively() else {
            throw Refusal(message: "\(path): another sweep is writing it (locked); wait for it or choose another output")
        }
        self.handle = handle
        if resume {
            let data: Data
            do { data = try FileBytes.read(path, limit: 1 << 34) } catch { throw Refusal(message: "\(path): cannot be read: \(error)") }
            var text = String(decoding: data, as: UTF8.self)
            // A torn last row (no line end) is redone.
            if !text.isEmpty, !text.hasSuffix("\n"), let end = text.lastIndex(of: "\n") {
                text = String(text[...end])
            } else if !text.hasSuffix("\n") {
                text = ""
            }
            let rows = try Self.parse(text, format: format, header: header, path: path)
            for row in rows {
                guard row["fingerprint"] == fingerprint else {
                    throw Refusal(
                        message:
                            "\(path): its rows are another sweep's (fingerprint \(row["fingerprint"] ?? "none"), this sweep's \(fingerprint): another instance, scenario list or options); the file is left as it is"
                    )
                }
                if let index = Int(row["index"] ?? "") { finished.insert(index) }
            }
            do {
                try handle.truncate(to: text.utf8.count)
                if text.isEmpty, format == .csv { try handle.writeChecked(Table(name: "", header: header, rows: []).csv()) }
            } catch {
                throw AtomicFile.WriteError(path: path, reason: error.reason)
            }
        } else {
            do {
                try handle.truncate(to: 0)
                if format == .csv { try handle.writeChecked(Table(name: "", header: header, rows: []).csv()) }
            } catch {
                throw AtomicFile.WriteError(path: path, reason: error.reason)
            }
        }
    }

    /// The rows of a sweep output (CSV with its header, or JSON Lines), each
    /// as a dictionary of its columns.
    static func parse(_ text: String, format: SweepCommand.Format, header: [String]?, path: String) throws -> [[String: String]] {
        switch format {
        case .csv:
            let table: CSVTable
            do { table = try CSVTable(parsing: text) } catch {
                throw Refusal(message: "\(path):\(error.line): \(error.message)")
            }
            if let header, !table.header.isEmpty, table.header != header {
                throw Refusal(
                    message:
                        "\(path): its columns (\(table.header.joined(separator: ","))) are not this sweep's (\(header.joined(separator: ",")))"
                )
            }
            return table.rows.map(\.fields)
        case .jsonl:
            var rows: [[String: String]] = []
            for (k, line) in text.split(separator: "\n").enumerated() where !line.isEmpty {
                guard let value = try? JSONParser.parse(Data(line.utf8)), let members = value.objectMembers else {
                    throw Refusal(message: "\(path):\(k + 1): not a JSON object")
                }
                var row: [String: String] = [:]
                for (key, member) in members {
                    let column = SweepCommand.column(ofJSONKey: key)
                    switch member {
                    case .string(let text): row[column] = text
                    case .number(let number): row[column] = formatNumber(number)
                    default: row[column] = ""
                    }
                }
                if let header, Set(row.keys) != Set(header) {
                    throw Refusal(message: "\(path):\(k + 1): its keys are not this sweep's columns")
                }
                rows.append(row)
            }
            return rows
        }
    }

    /// One row as a line of the output.
    static func line(_ row: [String], header: [String], format: SweepCommand.Format) -> String {
        switch format {
        case .csv:
            return Table(name: "", header: row, rows: []).csv()
        case .jsonl:
            let members = zip(header, row).map { column, value -> (key: String, value: JSONValue) in
                let key = SweepCommand.jsonKey(column)
                if ["index", "cost_usd", "shortfall_value_usd", "solve_seconds"].contains(column) {
                    return (key, Double(value).map { .number($0) } ?? .null)
                }
                return (key, .string(value))
            }
            return String(decoding: JSONWriter.encode(.object(members), style: .compact), as: UTF8.self) + "\n"
        }
    }

    func append(_ row: [String]) throws(FileBytes.OutputFailure) {
        try handle.writeChecked(Self.line(row, header: header, format: format))
    }

    /// Rewrites the output with its rows in index order (atomically, only
    /// when the order changed); returns the rows in that order.
    static func sortByIndex(_ path: String, format: SweepCommand.Format, header: [String]) throws -> [[String: String]] {
        let data = try FileBytes.read(path, limit: 1 << 34)
        let rows = try parse(String(decoding: data, as: UTF8.self), format: format, header: header, path: path)
        let sorted = rows.sorted { (Int($0["index"] ?? "") ?? .max) < (Int($1["index"] ?? "") ?? .max) }
        let text =
            (format == .csv ? Table(name: "", header: header, rows: []).csv() : "")
            + sorted.map { row in line(header.map { row[$0] ?? "" }, header: header, format: format) }.joined()
        if Data(text.utf8) != data { try AtomicFile.write(Data(text.utf8), to: path) }
        return sorted
    }
}

/// Progress of long work on stderr: count, rate and ETA; a live line on a
/// terminal, a plain line every 5 seconds otherwise, nothing when quiet.
final class Progress: Sendable {
    let total: Int
    let label: String
    let start = Date()
    let terminal = isatty(2) != 0
    let quiet: Bool
    /// Items done and when the last plain line was written.
    private let state = Mutex<(done: Int, lastPlain: Date)>((0, Date()))

    init(total: Int, label: String = "scenarios", quiet: Bool = false) {
        self.total = total
        self.label = label
        self.quiet = quiet
    }

    /// Counts `count` more items done and writes the line when it is due.
    func advance(by count: Int) {
        state.withLock { state in
            state.done += count
            guard !quiet else { return }
            let done = state.done
            let elapsed = Date().timeIntervalSince(start)
            let rate = elapsed > 0 ? Double(done) / elapsed : 0
            let eta = rate > 0 ? Double(total - done) / rate : 0
            let line = "[\(done)/\(total)] \(cFormat("%.1f", rate)) \(label)/s, ETA \(cFormat("%.0f", eta)) s"
            if terminal {
                FileBytes.writeError("\r" + line + "   ")
            } else if Date().timeIntervalSince(state.lastPlain) >= 5 || done == total {
                state.lastPlain = Date()
                FileBytes.writeError("planner: " + line + "\n")
            }
        }
    }

    func finish() { if terminal && !quiet { FileBytes.writeError("\n") } }
}

/// `planner sweep-merge -o OUT PART...`: join shard outputs in index order.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-merge", abstract: "Join the outputs of sweep shards into one, in scenario order.",
        discussion: """
            Examples:
              planner sweep-merge -o all.csv part-1.csv part-2.csv part-3.csv
              planner sweep-merge -o some.csv part-1.csv --partial

            Every part must be a shard of the same sweep (same columns, same fingerprint). The merge \
            refuses a set of parts with a scenario missing or present twice (exit 2), unless --partial \
            allows missing ones.
            """)

    @Argument(help: "The shard outputs (all CSV or all JSONL).") var parts: [String]
    @Option(name: .shortAndLong, help: "The merged output (written atomically).") var output: String
    @Flag(help: "Merge even when scenarios are missing (an incomplete set of shards).") var partial = false

    func run() throws {
        let format: SweepCommand.Format = output.hasSuffix(".jsonl") ? .jsonl : .csv
        var header: [String]?
        var rows: [(Int, [String: String])] = []
        var fingerprint: String?
        for part in parts {
            let data: Data
            do { data = try FileBytes.read(part, limit: 1 << 34) } catch {
                try fail("\(part): cannot be read: \(error)", code: PlannerExit.invalidInput)
            }
            let parsed: [[String: String]]
            do {
                let text = String(decoding: data, as: UTF8.self)
                if format == .csv, let table = try? CSVTable(parsing: text) {
                    if let header, header != table.header {
                        try fail("\(part): its columns differ from the first part's", code: PlannerExit.invalidInput)
                    }
                    header = table.header
                }
                parsed = try SweepOutput.parse(text, format: format, header: header, path: part)
            } catch let error as SweepOutput.Refusal {
                try fail(error.message, code: PlannerExit.invalidInput)
            }
            for row in parsed {
                guard let index = Int(row["index"] ?? "") else {
                    try fail("\(part): a row without an index", code: PlannerExit.invalidInput)
                }
                let print = row["fingerprint"] ?? ""
                if let fingerprint, fingerprint != print {
                    try fail("\(part): rows of another sweep (fingerprint \(print), not \(fingerprint))", code: PlannerExit.invalidInput)
                }
                fingerprint = print
                if header == nil { header = SweepCommand.header + (row["solve_seconds"] != nil ? ["solve_seconds"] : []) }
                rows.append((index, row))
            }
        }
        rows.sort { $0.0 < $1.0 }
        let indices = rows.map(\.0)
        if Set(indices).count != indices.count {
            let twice = Dictionary(grouping: indices, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            try fail(
                "scenario index \(twice.prefix(5).map(String.init).joined(separator: ", ")) is in more than one part: overlapping shards",
                code: PlannerExit.invalidInput)
        }
        let expected = fingerprint.flatMap { $0.split(separator: "-").last.flatMap { Int($0) } } ?? indices.count
        let missing = (0..<expected).filter { !Set(indices).contains($0) }
        if !missing.isEmpty && !partial {
            try fail(
                "\(missing.count) of \(expected) scenarios are in no part (first: \(missing.prefix(5).map(String.init).joined(separator: ", "))): a shard is missing; --partial merges anyway",
                code: PlannerExit.invalidInput)
        }
        let columns = header ?? SweepCommand.header
        let text =
            (format == .csv ? Table(name: "", header: columns, rows: []).csv() : "")
            + rows.map { entry in SweepOutput.line(columns.map { entry.1[$0] ?? "" }, header: columns, format: format) }.joined()
        try AtomicFile.write(Data(text.utf8), to: output)
    }
}
