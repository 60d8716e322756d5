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
/// ``SolveOptions/mipDuals`` asks); no ranging, no basis.
public struct DenseSimplexSolver: ResolvingSolver {
    /// Calls of ``solve(_:options:)`` made through every copy of this solver.
    public let counter: SolveCounter

    public init(counter: SolveCounter = SolveCounter()) { self.counter = counter }

    public func solve(_ model: Model, options: SolveOptions) throws -> SolveResult {
        try options.validate()
        counter.cold.add(1, ordering: .relaxed)
        return try DenseSimplex.solve(model, mipDuals: options.mipDuals)
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
        return try DenseSimplex.solve(model, mipDuals: options.mipDuals)
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

    static func solve(_ model: Model, mipDuals: Bool) throws -> SolveResult {
        var lower = model.variableLower, upper = model.variableUpper
        for j in lower.indices where model.variableKinds[j] != .continuous {
            if model.variableKinds[j] == .binary { lower[j] = max(lower[j], 0); upper[j] = min(upper[j], 1) }
            lower[j] = (lower[j] - integerTolerance).rounded(.up)
            upper[j] = (upper[j] + integerTolerance).rounded(.down)
        }
        guard model.isMIP else { return try lp(model, lower, upper) }
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
    static func lp(_ model: Model, _ lower: [Double], _ upper: [Double]) throws -> SolveResult {
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
        // Phase 2: the artificials stay at zero.
        for i in 0..<m { hi[n + m + i] = 0; lo[n + m + i] = 0 }
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
        return result
    }

    /// d_j = c_j - c_B B^-1 A_j.
    static func reducedCosts(_ a: [[Double]], _ basis: [Int], _ cost: [Double]) -> [Double] {
        var d = cost
        for (i, b) in basis.enumerated() where cost[b] != 0 {
            for j in d.indices where a[i][j] != 0 { d[j] -= cost[b] * a[i][j] }
        }
        return d
    }

    /// Primal simplex from a feasible basis; false when unbounded.
    @discardableResult
    static func iterate(
        _ a: inout [[Double]], _ value: inout [Double], _ basis: inout [Int], _ isBasic: inout [Bool],
        _ lo: [Double], _ hi: [Double], _ cost: [Double]
    ) throws -> Bool {
        let m = basis.count, total = cost.count
        for _ in 0..<50_000 {
            let d = reducedCosts(a, basis, cost)
            // Bland: the first improving column.
            var entering = -1, direction = 0.0
            for j in 0..<total where !isBasic[j] && lo[j] < hi[j] {
                if d[j] < -pivotTolerance && value[j] < hi[j] { entering = j; direction = 1; break }
                if d[j] > pivotTolerance && value[j] > lo[j] { entering = j; direction = -1; break }
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
            guard leaving >= 0 else { continue }  // a bound flip
            let out = basis[leaving]
            value[out] = leavingTo
            let pivot = a[leaving][entering]
            for j in 0..<total { a[leaving][j] /= pivot }
            for i in 0..<m where i != leaving {
                let factor = a[i][entering]
                if factor != 0 { for j in 0..<total where a[leaving][j] != 0 { a[i][j] -= factor * a[leaving][j] } }
            }
            basis[leaving] = entering
            isBasic[out] = false
            isBasic[entering] = true
        }
        throw Failure(description: "simplex: more than 50000 iterations")
    }
}
