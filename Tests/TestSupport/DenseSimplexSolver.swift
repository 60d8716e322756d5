public import LinearModel
import Synchronization

/// A small in-memory solver for tests: a dense bounded-variable primal
/// simplex (two phases, Bland's rule) with depth-first branch and bound for
/// integer variables. No GLPK anywhere, so the sourcing pipeline can be
/// tested against it and against GLPK with the same expectations.
///
/// Meant for models of a few hundred variables: every pivot touches the
/// whole tableau. It returns values, row activities, row duals and reduced
/// costs (for a MIP: those of the LP with the integers fixed, when
/// ``SolveOptions/mipDuals`` asks) and, for an LP when
/// ``SolveOptions/sensitivity`` asks, cost and bound ranging of the final
/// basis with GLPK's meaning (``Ranging``); no basis statuses.
public struct DenseSimplexSolver: ResolvingSolver {
    /// Calls of ``solve(_:options:)`` made through every copy of this solver.
    public let counter: SolveCounter

    public init(counter: SolveCounter = SolveCounter()) { self.counter = counter }

    public func solve(_ model: Model, options: SolveOptions) throws -> SolveResult {
        try options.validate()
        counter.cold.add(1, ordering: .relaxed)
        return try DenseSimplex.solve(model, mipDuals: options.mipDuals, sensitivity: options.sensitivity)
    }

    public func session(_ model: Model, options: SolveOptions) throws -> DenseSimplexSession {
        try options.validate()
        counter.sessions.add(1, ordering: .relaxed)
        return DenseSimplexSession(self, model: model, options: options)
    }
}

/// How a ``DenseSimplexSolver`` was used: cold solves, sessions opened,
/// and models a session took as updates of its own.
public final class SolveCounter: Sendable {
    let cold = Atomic<Int>(0)
    let sessions = Atomic<Int>(0)
    let updates = Atomic<Int>(0)
    public init() {}

    /// Models solved by ``DenseSimplexSolver/solve(_:options:)``.
    public var coldSolves: Int { cold.load(ordering: .relaxed) }
    /// Sessions opened.
    public var sessionsOpened: Int { sessions.load(ordering: .relaxed) }
    /// Models a session took as updates of its own model.
    public var updatesTaken: Int { updates.load(ordering: .relaxed) }
}

/// The session of ``DenseSimplexSolver``: it counts the models it could
/// take as updates (same shape) and solves every model afresh.
public final class DenseSimplexSession: SolveSession {
    private let solver: DenseSimplexSolver
    private let options: SolveOptions
    private let shape: ModelShape

    init(_ solver: DenseSimplexSolver, model: Model, options: SolveOptions) {
        self.solver = solver
        self.options = options
        self.shape = ModelShape(model)
    }

    public func canUpdate(to model: Model) -> Bool { ModelShape(model) == shape }

    public func solve(_ model: Model) throws -> SolveResult {
        if canUpdate(to: model) { solver.counter.updates.add(1, ordering: .relaxed) }
        return try DenseSimplex.solve(model, mipDuals: options.mipDuals, sensitivity: options.sensitivity)
    }
}

/// The algorithm behind ``DenseSimplexSolver``.
enum DenseSimplex {
    static let pivotTolerance = 1e-9
    static let feasibilityTolerance = 1e-7
    static let integerTolerance = 1e-6

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func solve(_ model: Model, mipDuals: Bool, sensitivity: Bool = false) throws -> SolveResult {
        var lower = model.variableLower, upper = model.variableUpper
        for j in lower.indices where model.variableKinds[j] != .continuous {
            if model.variableKinds[j] == .binary { lower[j] = max(lower[j], 0); upper[j] = min(upper[j], 1) }
            lower[j] = (lower[j] - integerTolerance).rounded(.up)
            upper[j] = (upper[j] + integerTolerance).rounded(.down)
        }
        guard model.isMIP else { return try lp(model, lower, upper, sensitivity: sensitivity) }
        // Depth first, the branch nearer the relaxation's value first.
        var best: SolveResult?
        var stack = [(lower, upper)]
        var nodes = 0
        while let (lo, hi) = stack.popLast() {
            nodes += 1
            if nodes > 100_000 { throw Failure(description: "branch and bound: more than 100000 nodes") }
            if zip(lo, hi).contains(where: { $0 > $1 }) { continue }
            let relaxation = try lp(model, lo, hi)
            guard relaxation.termination.reason == .optimal, let objective = relaxation.objective else {
                if relaxation.termination.reason == .unbounded { return relaxation }
                continue
            }
            if let incumbent = best?.objective {
                let worse =
                    model.sense == .minimize
                    ? objective >= incumbent - 1e-9 * max(1, abs(incumbent))
                    : objective <= incumbent + 1e-9 * max(1, abs(incumbent))
                if worse { continue }
            }
            let fractional = model.variableKinds.indices.first { j in
                model.variableKinds[j] != .continuous
                    && abs(relaxation.values[j] - relaxation.values[j].rounded()) > integerTolerance
            }
            guard let j = fractional else { best = relaxation; continue }
            let v = relaxation.values[j]
            var down = hi, up = lo
            down[j] = v.rounded(.down)
            up[j] = v.rounded(.up)
            // The nearer branch is pushed last, so it is explored first.
            if v - v.rounded(.down) < 0.5 {
                stack.append((up, hi)); stack.append((lo, down))
            } else {
                stack.append((lo, down)); stack.append((up, hi))
            }
        }
        guard var result = best else {
            return SolveResult(termination: Termination(reason: .infeasible, detail: "no integer solution"))
        }
        if mipDuals {
            // The duals of the LP with every integer fixed at its value.
            var lo = lower, hi = upper
            for j in model.variableKinds.indices where model.variableKinds[j] != .continuous {
                lo[j] = result.values[j].rounded(); hi[j] = lo[j]
            }
            let fixed = try lp(model, lo, hi)
            result.rowDuals = fixed.rowDuals
            result.reducedCosts = fixed.reducedCosts
        } else {
            result.rowDuals = nil
            result.reducedCosts = nil
        }
        result.statistics.nodes = nodes
        return result
    }

    /// The LP of `model` with these variable bounds.
    static func lp(_ model: Model, _ lower: [Double], _ upper: [Double], sensitivity: Bool = false) throws -> SolveResult {
        let n = model.variableCount, m = model.constraintCount
        let total = n + 2 * m  // structurals, row activities, artificials
        // Row i: a_i x - s_i + sign_i art_i = 0, with s_i in [L_i, U_i].
        var lo = lower + model.constraintLower + [Double](repeating: 0, count: m)
        var hi = upper + model.constraintUpper + [Double](repeating: .infinity, count: m)
        var value = [Double](repeating: 0, count: total)
        for j in 0..<(n + m) {
            value[j] = lo[j].isFinite ? lo[j] : (hi[j].isFinite ? hi[j] : 0)
        }
        var a = [[Double]](repeating: [Double](repeating: 0, count: total), count: m)
        for i in 0..<m {
            for k in model.rowStarts[i]..<model.rowStarts[i + 1] { a[i][Int(model.columnIndices[k])] += model.coefficients[k] }
            a[i][n + i] = -1
            var residual = 0.0
            for j in 0..<(n + m) where a[i][j] != 0 { residual -= a[i][j] * value[j] }
            let sign: Double = residual >= 0 ? 1 : -1
            a[i][n + m + i] = sign
            value[n + m + i] = abs(residual)
            // B = diag(sign): the tableau is B^-1 A.
            if sign < 0 { for j in 0..<total { a[i][j] = -a[i][j] } }
        }
        var basis = (0..<m).map { n + m + $0 }
        var isBasic = [Bool](repeating: false, count: total)
        for b in basis { isBasic[b] = true }

        // Phase 1: minimise the sum of the artificials.
        var cost = [Double](repeating: 0, count: total)
        for i in 0..<m { cost[n + m + i] = 1 }
        try iterate(&a, &value, &basis, &isBasic, lo, hi, cost)
        let infeasibility = (0..<m).reduce(0) { $0 + value[n + m + $1] }
        let scale = max(
            1, model.constraintLower.map { $0.isFinite ? abs($0) : 0 }.max() ?? 0,
            model.constraintUpper.map { $0.isFinite ? abs($0) : 0 }.max() ?? 0)
        if infeasibility > feasibilityTolerance * scale {
            return SolveResult(termination: Termination(reason: .infeasible, detail: "phase 1 ends at \(infeasibility)"))
        }
        // Phase 2: the artificials stay at zero, and leave the basis where a
        // degenerate pivot can replace them (ranging then sees real columns).
        for i in 0..<m { hi[n + m + i] = 0; lo[n + m + i] = 0 }
        for k in 0..<m where basis[k] >= n + m {
            var best = -1
            for j in 0..<(n + m) where !isBasic[j] && abs(a[k][j]) > 1e-7 && (best < 0 || abs(a[k][j]) > abs(a[k][best])) { best = j }
            if best >= 0 { pivot(&a, &basis, &isBasic, row: k, column: best) }
        }
        let sign: Double = model.sense == .minimize ? 1 : -1
        cost = [Double](repeating: 0, count: total)
        for j in 0..<n { cost[j] = sign * model.objectiveCoefficients[j] }
        if try !iterate(&a, &value, &basis, &isBasic, lo, hi, cost) {
            return SolveResult(termination: Termination(reason: .unbounded, detail: "an unbounded ray"))
        }
        var result = SolveResult(termination: Termination(reason: .optimal), primalStatus: .optimal)
        result.values = Array(value[0..<n])
        result.rowActivities = (0..<m).map { i in
            (model.rowStarts[i]..<model.rowStarts[i + 1]).reduce(0) { $0 + model.coefficients[$1] * value[Int(model.columnIndices[$1])] }
        }
        result.objective = model.objectiveConstant + (0..<n).reduce(0) { $0 + model.objectiveCoefficients[$1] * value[$1] }
        let reduced = reducedCosts(a, basis, cost)
        result.reducedCosts = (0..<n).map { sign * reduced[$0] }
        result.rowDuals = (0..<m).map { sign * reduced[n + $0] }
        if sensitivity {
            result.ranging = ranging(model, a, value, basis, isBasic, lo, hi, cost, reduced, sign: sign)
        }
        return result
    }

    /// Ranging of the final basis, as GLPK's `glp_analyze_bound` and
    /// `glp_analyze_coef` define it: for each non-basic row or column, the
    /// interval its active bound can move over while the basis stays primal
    /// feasible (nil for basic ones; infinite where nothing limits it); for
    /// each column, the interval of its objective coefficient over which
    /// the basis stays optimal.
    static func ranging(
        _ model: Model, _ a: [[Double]], _ value: [Double], _ basis: [Int], _ isBasic: [Bool],
        _ lo: [Double], _ hi: [Double], _ cost: [Double], _ reduced: [Double], sign: Double
    ) -> Ranging {
        let n = model.variableCount, m = model.constraintCount
        /// Moving non-basic column j by delta moves basic k by -a[k][j] delta.
        func boundRange(_ j: Int) -> (Double?, Double?) {
            if isBasic[j] { return (nil, nil) }
            var down = -Double.infinity, up = Double.infinity
            for k in 0..<m {
                let alpha = a[k][j]
                guard abs(alpha) > pivotTolerance else { continue }
                let b = basis[k]
                // value[b] - alpha * delta within [lo[b], hi[b]].
                let toLower = lo[b].isFinite ? (value[b] - lo[b]) / alpha : (alpha > 0 ? Double.infinity : -.infinity)
                let toUpper = hi[b].isFinite ? (value[b] - hi[b]) / alpha : (alpha > 0 ? -Double.infinity : .infinity)
                if alpha > 0 {
                    up = min(up, max(0, toLower)); down = max(down, min(0, toUpper))
                } else {
                    up = min(up, max(0, toUpper)); down = max(down, min(0, toLower))
                }
            }
            return (value[j] + down, value[j] + up)
        }
        var result = Ranging()
        for i in 0..<m {
            let (l, u) = boundRange(n + i)
            result.rowActivityLower.append(l); result.rowActivityUpper.append(u)
        }
        for j in 0..<n {
            let (l, u) = boundRange(j)
            result.variableValueLower.append(l); result.variableValueUpper.append(u)
            // Internal costs minimise: c_int = sign * c.
            var internalLower = -Double.infinity, internalUpper = Double.infinity
            if let k = basis.firstIndex(of: j) {
                // d_l - t a[k][l] keeps the sign each non-basic l needs.
                var tDown = -Double.infinity, tUp = Double.infinity
                for l in 0..<cost.count where !isBasic[l] && lo[l] < hi[l] {
                    let alpha = a[k][l]
                    guard abs(alpha) > pivotTolerance else { continue }
                    let atLower = lo[l].isFinite && value[l] == lo[l]
                    let atUpper = hi[l].isFinite && value[l] == hi[l]
                    let limit = reduced[l] / alpha
                    if atLower {  // needs d_l - t alpha >= 0
                        if alpha > 0 { tUp = min(tUp, max(0, limit)) } else { tDown = max(tDown, min(0, limit)) }
                    } else if atUpper {  // needs d_l - t alpha <= 0
                        if alpha > 0 { tDown = max(tDown, min(0, limit)) } else { tUp = min(tUp, max(0, limit)) }
                    } else {  // free at zero: d_l stays 0
                        tDown = max(tDown, 0); tUp = min(tUp, 0)
                    }
                }
                internalLower = cost[j] + tDown; internalUpper = cost[j] + tUp
            } else if lo[j] < hi[j] {
                let atLower = lo[j].isFinite && value[j] == lo[j]
                let atUpper = hi[j].isFinite && value[j] == hi[j]
                if atLower {
                    internalLower = cost[j] - reduced[j]
                } else if atUpper {
                    internalUpper = cost[j] - reduced[j]
                } else {
                    internalLower = cost[j]; internalUpper = cost[j]
                }
            }
            if sign > 0 {
                result.costLower.append(internalLower); result.costUpper.append(internalUpper)
            } else {
                result.costLower.append(-internalUpper); result.costUpper.append(-internalLower)
            }
        }
        return result
    }

    /// Pivots column `column` into the basis at position `row`.
    static func pivot(_ a: inout [[Double]], _ basis: inout [Int], _ isBasic: inout [Bool], row: Int, column: Int) {
        let total = a[row].count
        let pivot = a[row][column]
        for j in 0..<total { a[row][j] /= pivot }
        for i in a.indices where i != row {
            let factor = a[i][column]
            if factor != 0 { for j in 0..<total where a[row][j] != 0 { a[i][j] -= factor * a[row][j] } }
        }
        isBasic[basis[row]] = false
        basis[row] = column
        isBasic[column] = true
    }

    /// d_j = c_j - c_B B^-1 A_j.
    static func reducedCosts(_ a: [[Double]], _ basis: [Int], _ cost: [Double]) -> [Double] {
        var d = cost
        for (i, b) in basis.enumerated() where cost[b] != 0 {
            for j in d.indices where a[i][j] != 0 { d[j] -= cost[b] * a[i][j] }
        }
        return d
    }

    /// Primal simplex from a feasible basis; false when unbounded. Bland's
    /// rule (the first improving column: it cannot cycle; Dantzig's largest
    /// reduced cost was measured 6x slower on the property instances);
    /// reduced costs are updated with each pivot and recomputed every 200.
    @discardableResult
    static func iterate(
        _ a: inout [[Double]], _ value: inout [Double], _ basis: inout [Int], _ isBasic: inout [Bool],
        _ lo: [Double], _ hi: [Double], _ cost: [Double]
    ) throws -> Bool {
        let m = basis.count, total = cost.count
        var d = reducedCosts(a, basis, cost)
        for iteration in 0..<50_000 {
            if iteration % 200 == 199 { d = reducedCosts(a, basis, cost) }  // against drift
            var entering = -1, direction = 0.0
            for j in 0..<total where !isBasic[j] && lo[j] < hi[j] {
                var dir = 0.0
                if d[j] < -pivotTolerance && value[j] < hi[j] { dir = 1 }
                if d[j] > pivotTolerance && value[j] > lo[j] { dir = -1 }
                if dir != 0 { entering = j; direction = dir; break }
            }
            if entering < 0 { return true }
            var step = hi[entering] - lo[entering]
            var leaving = -1, leavingTo = 0.0
            for i in 0..<m {
                let alpha = direction * a[i][entering]
                let b = basis[i]
                var limit = Double.infinity, bound = 0.0
                if alpha > pivotTolerance, lo[b].isFinite { limit = (value[b] - lo[b]) / alpha; bound = lo[b] }
                if alpha < -pivotTolerance, hi[b].isFinite { limit = (hi[b] - value[b]) / -alpha; bound = hi[b] }
                limit = max(0, limit)
                if limit < step || (limit == step && leaving >= 0 && b < basis[leaving]) {
                    step = limit; leaving = i; leavingTo = bound
                }
            }
            if !step.isFinite { return false }
            for i in 0..<m where a[i][entering] != 0 { value[basis[i]] -= direction * step * a[i][entering] }
            value[entering] += direction * step
            guard leaving >= 0 else {  // a bound flip: exactly onto the other bound
                value[entering] = direction > 0 ? hi[entering] : lo[entering]
                continue
            }
            value[basis[leaving]] = leavingTo
            pivot(&a, &basis, &isBasic, row: leaving, column: entering)
            let de = d[entering]
            if de != 0 { for j in 0..<total where a[leaving][j] != 0 { d[j] -= de * a[leaving][j] } }
            d[entering] = 0
        }
        throw Failure(description: "simplex: more than 50000 iterations")
    }
}
