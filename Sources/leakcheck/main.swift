// Runs every path of the GLPK layer that allocates in C (solves, files,
// MathProg, sessions on their own thread, solves on short-lived threads),
// so that `scripts/leakcheck` can run it under valgrind and fail on a
// definite leak. Usage: leakcheck REPO_DIR
import Foundation
import GLPK
import LinearModel

let repository = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "."

func knapsack() throws -> Model {
    var model = Model(name: "knapsack")
    let values = [10.0, 13, 7, 8], weights = [5.0, 6, 3, 4]
    let items = try (0..<4).map { try model.addVariable("item\($0)", upper: 1, kind: .binary) }
    try model.addConstraint(LinearExpression.sum(items.indices) { (weights[$0], items[$0]) } <= 10, name: "capacity")
    try model.maximize(LinearExpression.sum(items.indices) { (values[$0], items[$0]) })
    return model
}

do {
    let solver = GLPKSolver()
    var model = try knapsack()
    var options = SolveOptions()
    options.mipDuals = true
    let mip = try solver.solve(model, options: options)
    precondition(mip.objective == 21)
    for j in 0..<model.variableCount { try model.setKind(of: model.variable(unchecked: j), .continuous) }
    options.sensitivity = true
    let lp = try solver.solve(model, options: options)
    precondition(lp.objective == 22)
    // Infeasible: the recipe's extra solves.
    var infeasible = Model()
    let x = try infeasible.addVariable("x")
    try infeasible.addConstraint(x >= 2)
    try infeasible.addConstraint(x <= 1)
    let none = try solver.solve(infeasible, options: SolveOptions())
    precondition(none.termination.reason == .infeasible)
    // Files, and a malformed one.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leakcheck-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for ext in ["mps", "fmps", "lp", "glpk", "mps.gz"] {
        let path = dir.appendingPathComponent("model.\(ext)").path
        try ModelFile.write(model, to: path)
        _ = try ModelFile.read(path)
    }
    try Data("garbage\n".utf8).write(to: dir.appendingPathComponent("bad.lp"))
    _ = try? ModelFile.read(dir.appendingPathComponent("bad.lp").path)
    try? FileManager.default.removeItem(at: dir)
    // MathProg.
    let mod = repository + "/models/sourcing.mod"
    if FileManager.default.fileExists(atPath: mod) {
        let run = try MathProg.solve(model: mod, data: [repository + "/models/data/contract-mip.dat"])
        precondition(run.result.objective == 6700)
    }
    // A session (its own thread) and solves on threads that end.
    do {
        let session = try GLPKSession(model)
        _ = try session.solve()
        try session.setBounds(of: model.variables[0], lower: 0, upper: 0.5)
        _ = try session.solve()
    }
    let relaxed = model
    let group = DispatchGroup()
    for _ in 0..<4 {
        group.enter()
        Thread {
            _ = try? solver.solve(relaxed, options: SolveOptions())
            group.leave()
        }.start()
    }
    group.wait()
    Thread.sleep(forTimeInterval: 0.2)
    print("leakcheck: all paths ran")
} catch {
    print("leakcheck: \(error)")
    exit(1)
}
