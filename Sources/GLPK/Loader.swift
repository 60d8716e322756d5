internal import CGLPK
internal import CGLPKShim
import LinearModel

/// GLPK bound type for a pair of (already validated) bounds.
@inline(__always)
func boundType(_ lower: Double, _ upper: Double) -> Int32 {
    switch (lower.isFinite, upper.isFinite) {
    case (false, false): return GLP_FR
    case (true, false): return GLP_LO
    case (false, true): return GLP_UP
    case (true, true): return lower == upper ? GLP_FX : GLP_DB  // GLP_DB with lb == ub is refused
    }
}

/// Bounds GLPK accepts for an integer column: ceil the lower, floor the upper
/// (fractional integer bounds make GLPK refuse the solve). Nil: no integer fits.
@inline(__always)
func integerBounds(_ lower: Double, _ upper: Double) -> (Double, Double)? {
    let lo = lower.isFinite ? (lower - lower.rounded(.down) < 1e-9 ? lower.rounded(.down) : lower.rounded(.up)) : lower
    let hi = upper.isFinite ? (upper.rounded(.up) - upper < 1e-9 ? upper.rounded(.up) : upper.rounded(.down)) : upper
    return lo <= hi ? (lo, hi) : nil
}

extension Problem {
    /// Copies `model` into this (empty) problem.
    ///
    /// Returns the first integer variable without an integer value inside its
    /// bounds, if any (the model is then infeasible and is not solved).
    func load(_ model: Model) throws(ModelError) -> Int? {
        let P = try handle()
        try ModelLimits.checkName(model.name, at: "model name")
        if !model.name.isEmpty { glp_set_prob_name(P, model.name) }
        glp_set_obj_dir(P, model.sense == .minimize ? GLP_MIN : GLP_MAX)
        glp_set_obj_coef(P, 0, model.objectiveConstant)
        let m = model.constraintCount
        let n = model.variableCount
        if m > 0 { glp_add_rows(P, Int32(m)) }
        if n > 0 { glp_add_cols(P, Int32(n)) }
        // The model's arrays, read once (a property read across modules is a call).
        let rowLower = model.constraintLower, rowUpper = model.constraintUpper, rowNames = model.constraintNames
        let lower = model.variableLower, upper = model.variableUpper, kinds = model.variableKinds
        let costs = model.objectiveCoefficients, names = model.variableNames
        for i in 0..<m {
            let lo = rowLower[i], hi = rowUpper[i]
            glp_set_row_bnds(P, Int32(i + 1), boundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
            let name = rowNames[i]
            if !name.isEmpty { glp_set_row_name(P, Int32(i + 1), name) }
        }
        var emptyInteger: Int?
        for j in 0..<n {
            var lo = lower[j], hi = upper[j]
            let column = Int32(j + 1)
            if kinds[j] != .continuous {
                glp_set_col_kind(P, column, GLP_IV)
                if let rounded = integerBounds(lo, hi) {
                    (lo, hi) = rounded
                } else if emptyInteger == nil {
                    emptyInteger = j
                }
            }
            if lo <= hi {
                glp_set_col_bnds(P, column, boundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
            }
            let cost = costs[j]
            if cost != 0 { glp_set_obj_coef(P, column, cost) }
            let name = names[j]
            if !name.isEmpty { glp_set_col_name(P, column, name) }
        }
        // Row by row with glp_set_mat_row: no triplet arrays for the whole
        // matrix. The model guarantees indices in range, no repeats within a
        // row, finite values (glp_set_mat_row aborts otherwise).
        if model.nonzeroCount > 0 {
            let rowStarts = model.rowStarts
            var longest = 0
            for i in 0..<m { longest = max(longest, rowStarts[i + 1] - rowStarts[i]) }
            var indices = [Int32](repeating: 0, count: longest + 1)
            var values = [Double](repeating: 0, count: longest + 1)
            model.columnIndices.withUnsafeBufferPointer { columns in
                model.coefficients.withUnsafeBufferPointer { coefficients in
                    indices.withUnsafeMutableBufferPointer { indices in
                        values.withUnsafeMutableBufferPointer { values in
                            for i in 0..<m {
                                let start = rowStarts[i], end = rowStarts[i + 1]
                                if start == end { continue }
                                for k in start..<end {
                                    indices[k - start + 1] = columns[k] + 1
                                    values[k - start + 1] = coefficients[k]
                                }
                                glp_set_mat_row(P, Int32(i + 1), Int32(end - start), indices.baseAddress, values.baseAddress)
                            }
                        }
                    }
                }
            }
        }
        return emptyInteger
    }

    /// `glp_load_matrix` on one-based triplets (element 0 unused), behind
    /// the fatal-error guard.
    func loadTriplets(_ ia: [Int32], _ ja: [Int32], _ ar: [Double]) throws(ModelError) {
        let P = try handle()
        if glpkshim_load_matrix(P, Int32(ar.count - 1), ia, ja, ar) == GLPKSHIM_ABORTED {
            throw ModelError(
                .glpkFailure, at: "GLPK glp_load_matrix", value: "",
                "hit a fatal error (recovered)")
        }
    }
}
