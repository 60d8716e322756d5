// Benchmark (not a test): build a transportation LP of about one million
// non-zeros through the Swift API (Model + load into GLPK) and through
// direct GLPK C calls (glp_add_cols, glp_load_matrix) in the same process;
// then a warm-started re-solve after a bound change against a cold solve.
//
//   swift run -c release bench-glpk [SOURCES SINKS] [--warm-sources N --warm-sinks M]
import CGLPK
import Foundation
import GLPK
import LinearModel

func now() -> Double { Date().timeIntervalSinceReferenceDate }

/// Deterministic pseudo-random costs in [1, 100).
@inline(__always) func cost(_ i: Int, _ j: Int) -> Double {
    var h = UInt64(i &* 1_000_003 &+ j) &* 0x9E37_79B9_7F4A_7C15
    h ^= h >> 29
    return 1 + Double(h % 9900) / 100
}

func supply(_ i: Int, _ sinks: Int) -> Double { Double(2 * sinks + i % 7) }
func demand(_ j: Int, _ sources: Int) -> Double { Double(sources + j % 5) }

/// The Swift path: variables, two sums per arc, objective, then loaded into GLPK.
func swiftBuild(_ sources: Int, _ sinks: Int) throws -> (Model, Double, Double) {
    let t0 = now()
    var model = Model(name: "transport")
    model.reserveCapacity(variables: sources * sinks, constraints: sources + sinks, nonzeros: 2 * sources * sinks)
    let x = try model.addVariables(sources * sinks)
    for i in 0..<sources {
        try model.addConstraint(LinearExpression.sum(x[(i * sinks)..<((i + 1) * sinks)]) <= supply(i, sinks))
    }
    for j in 0..<sinks {
        try model.addConstraint(LinearExpression.sum((0..<sources).lazy.map { x[$0 * sinks + j] }) >= demand(j, sources))
    }
    var objective = LinearExpression()
    objective.reserveCapacity(x.count)
    for i in 0..<sources { for j in 0..<sinks { objective.add(cost(i, j), x[i * sinks + j]) } }
    try model.minimize(objective)
    let t1 = now()
    try GLPKSolver().load(model)  // into GLPK on this thread (and deleted again, inside the timing)
    let t2 = now()
    return (model, t1 - t0, t2 - t1)
}

/// The Swift bulk path: the same LP through `addVariables`, `addConstraints`
/// (compressed rows) and `setObjective(coefficients:)`, then loaded.
func swiftBulkBuild(_ sources: Int, _ sinks: Int) throws -> (Double, Double) {
    let t0 = now()
    var model = Model(name: "transport")
    let n = sources * sinks, m = sources + sinks
    _ = try model.addVariables(n)
    var starts = [Int](repeating: 0, count: m + 1)
    var columns = [Int32](repeating: 0, count: 2 * n)
    let values = [Double](repeating: 1, count: 2 * n)
    var lower = [Double](repeating: -.infinity, count: m), upper = [Double](repeating: .infinity, count: m)
    var k = 0
    for i in 0..<sources {
        for j in 0..<sinks { columns[k] = Int32(i * sinks + j); k += 1 }
        starts[i + 1] = k
        upper[i] = supply(i, sinks)
    }
    for j in 0..<sinks {
        for i in 0..<sources { columns[k] = Int32(i * sinks + j); k += 1 }
        starts[sources + j + 1] = k
        lower[sources + j] = demand(j, sources)
    }
    try model.addConstraints(rowStarts: starts, columns: columns, values: values, lower: lower, upper: upper)
    var objective = [Double](repeating: 0, count: n)
    for i in 0..<sources { for j in 0..<sinks { objective[i * sinks + j] = cost(i, j) } }
    try model.setObjective(coefficients: objective, sense: .minimize)
    let t1 = now()
    try GLPKSolver().load(model)
    return (t1 - t0, now() - t1)
}

/// The C path: the same LP with glp_add_rows/cols, bounds and glp_load_matrix.
func cBuild(_ sources: Int, _ sinks: Int) -> Double {
    let t0 = now()
    let P = glp_create_prob()
    let n = sources * sinks, m = sources + sinks
    glp_add_rows(P, Int32(m))
    glp_add_cols(P, Int32(n))
    for i in 0..<sources { glp_set_row_bnds(P, Int32(i + 1), GLP_UP, 0, supply(i, sinks)) }
    for j in 0..<sinks { glp_set_row_bnds(P, Int32(sources + j + 1), GLP_LO, demand(j, sources), 0) }
    var ia = [Int32](repeating: 0, count: 2 * n + 1)
    var ja = [Int32](repeating: 0, count: 2 * n + 1)
    var ar = [Double](repeating: 0, count: 2 * n + 1)
    var k = 1
    for i in 0..<sources {
        for j in 0..<sinks {
            let col = Int32(i * sinks + j + 1)
            glp_set_col_bnds(P, col, GLP_LO, 0, 0)
            glp_set_obj_coef(P, col, cost(i, j))
            ia[k] = Int32(i + 1); ja[k] = col; ar[k] = 1; k += 1
            ia[k] = Int32(sources + j + 1); ja[k] = col; ar[k] = 1; k += 1
        }
    }
    glp_load_matrix(P, Int32(2 * n), ia, ja, ar)
    let t1 = now()
    glp_delete_prob(P)
    return t1 - t0
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

var args = Array(CommandLine.arguments.dropFirst())
// `--only c|swift`: build once by one path and exit (for callgrind, which
// counts instructions repeatably on a noisy machine).
if let k = args.firstIndex(of: "--only"), k + 1 < args.count {
    let path = args[k + 1]
    args.removeSubrange(k...(k + 1))
    let sources = Int(args.first ?? "") ?? 500, sinks = Int(args.dropFirst().first ?? "") ?? 1000
    glp_term_out(GLP_OFF)
    if path == "c" {
        _ = cBuild(sources, sinks)
    } else if path == "bulk" {
        _ = try swiftBulkBuild(sources, sinks)
    } else {
        _ = try swiftBuild(sources, sinks)
    }
    exit(0)
}
let sources = Int(args.first ?? "") ?? 500
let sinks = Int(args.dropFirst().first ?? "") ?? 1000
glp_term_out(GLP_OFF)

print("build: \(sources) x \(sinks) transport LP, \(sources * sinks) columns, \(2 * sources * sinks) non-zeros")
var swiftModel: [Double] = [], swiftLoad: [Double] = [], cTimes: [Double] = [], bulkTimes: [Double] = []
for round in 0..<9 {
    // Alternate which path runs first, so neither inherits the other's freed memory.
    if round % 2 == 0 { cTimes.append(cBuild(sources, sinks)) }
    let (_, build, load) = try swiftBuild(sources, sinks)
    swiftModel.append(build)
    swiftLoad.append(load)
    let (bulkModel, bulkLoad) = try swiftBulkBuild(sources, sinks)
    bulkTimes.append(bulkModel + bulkLoad)
    if round % 2 == 1 { cTimes.append(cBuild(sources, sinks)) }
}
let swiftTotal = zip(swiftModel, swiftLoad).map(+)
print(String(format: "  C API (glp_add_cols + glp_load_matrix): %.3f s (median of 9)", median(cTimes)))
print(
    String(
        format: "  Swift API (Model %.3f s + load %.3f s):  %.3f s (median of 9)",
        median(swiftModel), median(swiftLoad), median(swiftTotal)))
print(String(format: "  ratio Swift / C: %.2fx", median(swiftTotal) / median(cTimes)))
print(
    String(
        format: "  Swift bulk API (addVariables, addConstraints, setObjective(coefficients:)) + load: %.3f s; ratio %.2fx",
        median(bulkTimes), median(bulkTimes) / median(cTimes)))

// Warm start: a smaller instance of the same family, so the solves finish quickly.
let ws = 100, wt = 200
let (warmModel, _, _) = try swiftBuild(ws, wt)
let session = try GLPKSession(warmModel)
var options = SolveOptions()
options.presolve = false
let first = try session.solve(options: options)
// Cut the cheapest arc in use to half of its flow.
let used = first.values.indices.filter { first.values[$0] > 1e-9 }
let arc = used.min { warmModel.objectiveCoefficients[$0] < warmModel.objectiveCoefficients[$1] } ?? 0
var changed = warmModel
try changed.setBounds(of: changed.variables[arc], lower: 0, upper: first.values[arc] / 2)
let tw = now()
try session.setBounds(of: warmModel.variables[arc], lower: 0, upper: first.values[arc] / 2)
let warm = try session.solve(options: options)
let warmTime = now() - tw
let tc = now()
let cold = try GLPKSolver().solve(changed, options: options)
let coldTime = now() - tc
print("warm start: \(ws) x \(wt) transport LP, bound change on one arc")
print(
    String(
        format: "  cold solve: %.3f s, %d iterations; warm re-solve: %.3f s, %d iterations; ratio %.3f",
        coldTime, cold.statistics.iterations, warmTime, warm.statistics.iterations, warmTime / coldTime))
print(String(format: "  objectives: warm %.10g, cold %.10g", warm.objective ?? .nan, cold.objective ?? .nan))
