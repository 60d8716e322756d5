internal import CGLPK
internal import CGLPKShim
import LinearModel
import Synchronization

/// Solves that are running now, on any thread: cover cuts stay off while
/// more than one runs (GLPK's cover-cut generator has static state).
let solvesInFlight = Atomic<Int>(0)

/// Runs GLPK on a loaded problem and reads the result back.
///
/// Implements the status recipe of docs/GLPK.md: on anything but an
/// optimum, the LP is re-solved with presolve off by the primal simplex;
/// NOFEAS proves infeasibility, UNBND with a primal feasible basis proves
/// unboundedness, and if still unclear a zero objective tells feasibility.
/// A MIP is solved as its LP relaxation first, then by branch-and-cut
/// without the MIP presolver unless every integer column is bounded.
struct Driver {
    let problem: Problem
    let options: SolveOptions
    let capture: TerminalCapture
    let start = glpkshim_now()
    /// Re-solve from the basis the problem already holds (a session's warm
    /// start): no scaling pass, no presolve, no new initial basis.
    let warm: Bool

    init(problem: Problem, options: SolveOptions, capture: TerminalCapture, warm: Bool = false) {
        // A command's deadline narrows this solve's own limit.
        var options = options
        options.timeLimit = options.effectiveTimeLimit
        self.problem = problem
        self.options = options
        self.capture = capture
        self.warm = warm
    }

    private var messageLevel: Int32 {
        switch options.messageLevel {
        case .off: return GLP_MSG_OFF
        case .errors: return GLP_MSG_ERR
        case .normal: return GLP_MSG_ON
        case .all: return GLP_MSG_ALL
        }
    }

    /// Milliseconds left of the wall-clock limit, as GLPK wants it.
    private var remainingMilliseconds: Int32 {
        guard let limit = options.timeLimit else { return Int32.max }
        let left = max(0, limit - (glpkshim_now() - start)) * 1000
        return Int32(min(left.rounded(.up), Double(Int32.max)))
    }

    func simplexParameters(presolve: Bool, method: SolveOptions.Method) -> glp_smcp {
        var parm = glp_smcp()
        glp_init_smcp(&parm)
        parm.msg_lev = messageLevel
        switch method {
        case .primal, .interior: parm.meth = GLP_PRIMAL
        case .dual: parm.meth = GLP_DUAL
        case .dualPrimal: parm.meth = GLP_DUALP
        }
        parm.presolve = presolve ? GLP_ON : GLP_OFF
        if let limit = options.iterationLimit { parm.it_lim = Int32(limit) }
        parm.tm_lim = remainingMilliseconds
        return parm
    }

    // MARK: Entry point

    /// Solves the loaded problem.
    func solve() throws(ModelError) -> SolveResult {
        try options.validate()
        solvesInFlight.add(1, ordering: .relaxed)
        defer { solvesInFlight.subtract(1, ordering: .relaxed) }
        let P = try problem.handle()
        let iterationsBefore = glp_get_it_cnt(P)
        var result: SolveResult
        if glp_get_num_int(P) > 0 {
            result = try solveMIP()
        } else if options.method == .interior {
            result = try solveInterior()
        } else {
            result = try solveLP(allowBasis: true)
        }
        if problem.isAlive {
            result.statistics.iterations = Int(glp_get_it_cnt(P) - iterationsBefore)
        }
        result.statistics.seconds = glpkshim_now() - start
        if options.log != nil {
            // One line per solve (per block when decomposed), for benchmarks.
            let who = options.race.map { $0.searcher == 0 ? "solve" : "second search (race)" } ?? "solve"
            options.log?(
                "\(who): \(result.statistics.iterations) simplex iterations, "
                    + "\(result.statistics.nodes) branch-and-cut nodes, \(result.termination.reason.rawValue)")
        }
        return result
    }

    // MARK: LP by simplex

    private func scale(_ P: OpaquePointer) throws(ModelError) {
        let flags: Int32
        switch options.scaling {
        case .none:
            glp_unscale_prob(P)
            return
        case .automatic: flags = GLP_SF_AUTO
        case .geometric: flags = GLP_SF_GM | GLP_SF_2N
        case .equilibrate: flags = GLP_SF_EQ | GLP_SF_2N
        }
        if glpkshim_scale_prob(P, flags) == GLPKSHIM_ABORTED { throw abortedError("glp_scale_prob", capture) }
    }

    /// Installs the requested starting basis; false if its shape does not fit.
    private func installBasis(_ P: OpaquePointer, _ basis: Basis) -> Bool {
        let m = Int(glp_get_num_rows(P)), n = Int(glp_get_num_cols(P))
        guard basis.rows.count == m, basis.columns.count == n,
            basis.rows.count(where: { $0 == .basic }) + basis.columns.count(where: { $0 == .basic }) == m
        else { return false }
        for (i, status) in basis.rows.enumerated() { glp_set_row_stat(P, Int32(i + 1), Int32(status.rawValue)) }
        for (j, status) in basis.columns.enumerated() { glp_set_col_stat(P, Int32(j + 1), Int32(status.rawValue)) }
        return true
    }

    /// Runs the simplex once; returns GLPK's return code.
    private func runSimplex(_ P: OpaquePointer, presolve: Bool, method: SolveOptions.Method) throws(ModelError) -> Int32 {
        var parm = simplexParameters(presolve: presolve, method: method)
        let code = glpkshim_simplex(P, &parm)
        if code == GLPKSHIM_ABORTED { throw abortedError("glp_simplex", capture) }
        return code
    }

    /// Ensures the problem has a valid basis to start from (no presolve).
    private func prepareBasis(_ P: OpaquePointer, allowBasis: Bool) throws(ModelError) {
        if allowBasis, let basis = options.startingBasis, installBasis(P, basis) { return }
        switch options.initialBasis {
        case .standard:
            if glpkshim_std_basis(P) == GLPKSHIM_ABORTED { throw abortedError("glp_std_basis", capture) }
        case .advanced:
            if glpkshim_adv_basis(P) == GLPKSHIM_ABORTED { throw abortedError("glp_adv_basis", capture) }
        case .bixby:
            if glpkshim_cpx_basis(P) == GLPKSHIM_ABORTED { throw abortedError("glp_cpx_basis", capture) }
        }
    }

    /// Solves the LP (or a MIP's relaxation) by simplex, with the recipe.
    func solveLP(allowBasis: Bool) throws(ModelError) -> SolveResult {
        let P = try problem.handle()
        let keepBasis = warm && allowBasis
        // A warm session starts from its last basis, or from the starting
        // basis it is given (one of this model's shape; others are ignored).
        if keepBasis, let basis = options.startingBasis { _ = installBasis(P, basis) }
        if !keepBasis { try scale(P) }
        let usePresolve = options.presolve && !keepBasis && (options.startingBasis == nil || !allowBasis)
        if !usePresolve && !keepBasis { try prepareBasis(P, allowBasis: allowBasis) }
        var code = try runSimplex(P, presolve: usePresolve, method: options.method)
        if code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND {  // a starting basis that is invalid or singular
            try prepareBasis(P, allowBasis: false)
            code = try runSimplex(P, presolve: false, method: options.method)
        }
        if code == 0 && glp_get_status(P) == GLP_OPT {
            return try basicResult(P, termination: Termination(reason: .optimal, detail: "simplex optimal"))
        }
        if let limited = limitTermination(code) { return SolveResult(termination: limited) }
        return try recipe(P, firstCode: code)
    }

    private func limitTermination(_ code: Int32) -> Termination? {
        switch code {
        case GLP_EITLIM: return Termination(reason: .noSolutionFound, limit: .iteration, detail: "GLP_EITLIM")
        case GLP_ETMLIM: return Termination(reason: .noSolutionFound, limit: .time, detail: "GLP_ETMLIM")
        default: return nil
        }
    }

    /// The reliable infeasible/unbounded recipe.
    private func recipe(_ P: OpaquePointer, firstCode: Int32) throws(ModelError) -> SolveResult {
        try prepareBasis(P, allowBasis: false)
        let code = try runSimplex(P, presolve: false, method: .primal)
        if let limited = limitTermination(code) { return SolveResult(termination: limited) }
        guard code == 0 else {
            return SolveResult(
                termination: Termination(
                    reason: .numericalError, detail: "glp_simplex returned \(describeCode(code)) (first \(describeCode(firstCode)))"))
        }
        let status = glp_get_status(P)
        if status == GLP_OPT {
            return try basicResult(P, termination: Termination(reason: .optimal, detail: "optimal after presolve-free re-solve"))
        }
        if glp_get_prim_stat(P) == GLP_NOFEAS || status == GLP_NOFEAS {
            return SolveResult(termination: Termination(reason: .infeasible, detail: "primal simplex: no primal feasible solution"))
        }
        if status == GLP_UNBND && glp_get_prim_stat(P) == GLP_FEAS {
            return SolveResult(termination: Termination(reason: .unbounded, detail: "primal simplex: feasible basis with an unbounded ray"))
        }
        // Still unclear: is the feasible region empty? Solve with a zero objective.
        let n = Int(glp_get_num_cols(P))
        var saved = [Double](repeating: 0, count: n + 1)
        for j in 0...n { saved[j] = glp_get_obj_coef(P, Int32(j)); glp_set_obj_coef(P, Int32(j), 0) }
        defer { for j in 0...n { glp_set_obj_coef(P, Int32(j), saved[j]) } }
        try prepareBasis(P, allowBasis: false)
        let zeroCode = try runSimplex(P, presolve: false, method: .primal)
        if zeroCode == 0 && glp_get_status(P) == GLP_OPT {
            return SolveResult(termination: Termination(reason: .unbounded, detail: "feasible, and the objective did not reach an optimum"))
        }
        if zeroCode == 0 && glp_get_prim_stat(P) == GLP_NOFEAS {
            return SolveResult(termination: Termination(reason: .infeasible, detail: "no feasible point (zero objective)"))
        }
        return SolveResult(termination: Termination(reason: .infeasibleOrUnbounded, detail: "status \(status)"))
    }

    /// Reads the basic solution, duals, basis, ranging and KKT check.
    private func basicResult(_ P: OpaquePointer, termination: Termination) throws(ModelError) -> SolveResult {
        let m = Int(glp_get_num_rows(P)), n = Int(glp_get_num_cols(P))
        var result = SolveResult(termination: termination, primalStatus: .optimal)
        result.objective = glp_get_obj_val(P)
        result.values = (0..<n).map { glp_get_col_prim(P, Int32($0 + 1)) }
        result.rowActivities = (0..<m).map { glp_get_row_prim(P, Int32($0 + 1)) }
        result.rowDuals = (0..<m).map { glp_get_row_dual(P, Int32($0 + 1)) }
        result.reducedCosts = (0..<n).map { glp_get_col_dual(P, Int32($0 + 1)) }
        result.basis = Basis(
            rows: (0..<m).map { BasisStatus(rawValue: UInt8(glp_get_row_stat(P, Int32($0 + 1)))) ?? .basic },
            columns: (0..<n).map { BasisStatus(rawValue: UInt8(glp_get_col_stat(P, Int32($0 + 1)))) ?? .basic })
        if options.checkKKT { result.kkt = try kkt(P, solution: GLP_SOL) }
        if options.sensitivity { result.ranging = try ranging(P) }
        return result
    }

    func kkt(_ P: OpaquePointer, solution: Int32) throws(ModelError) -> KKTReport {
        func check(_ condition: Int32) throws(ModelError) -> (Double, Double) {
            var ae = 0.0, re = 0.0
            var ai: Int32 = 0, ri: Int32 = 0
            if glpkshim_check_kkt(P, solution, condition, &ae, &ai, &re, &ri) == GLPKSHIM_ABORTED {
                throw abortedError("glp_check_kkt", capture)
            }
            return (ae, re)
        }
        var report = KKTReport()
        (report.primalEqualityAbsolute, report.primalEqualityRelative) = try check(GLP_KKT_PE)
        (report.primalBoundAbsolute, report.primalBoundRelative) = try check(GLP_KKT_PB)
        if solution == GLP_SOL {
            (report.dualEqualityAbsolute, report.dualEqualityRelative) = try check(GLP_KKT_DE)
            (report.dualBoundAbsolute, report.dualBoundRelative) = try check(GLP_KKT_DB)
        }
        return report
    }

    /// Cost and bound ranging; requires an optimal basis (checked) and its
    /// factorization (computed when missing).
    private func ranging(_ P: OpaquePointer) throws(ModelError) -> Ranging {
        guard glp_get_status(P) == GLP_OPT else {
            throw ModelError(.precondition, at: "sensitivity", value: "", "needs an optimal basic solution")
        }
        if glp_bf_exists(P) == 0 {
            let code = glpkshim_factorize(P)
            if code == GLPKSHIM_ABORTED { throw abortedError("glp_factorize", capture) }
            if code != 0 {
                throw ModelError(.glpkFailure, at: "sensitivity", value: describeCode(code), "basis cannot be factorized")
            }
        }
        let m = Int(glp_get_num_rows(P)), n = Int(glp_get_num_cols(P))
        var ranging = Ranging(
            costLower: [], costUpper: [], rowActivityLower: [], rowActivityUpper: [],
            variableValueLower: [], variableValueUpper: [])
        func bound(_ k: Int) throws(ModelError) -> (Double?, Double?) {
            let basic =
                k <= m
                ? glp_get_row_stat(P, Int32(k)) == GLP_BS
                : glp_get_col_stat(P, Int32(k - m)) == GLP_BS
            if basic { return (nil, nil) }
            var v1 = 0.0, v2 = 0.0
            var x1: Int32 = 0, x2: Int32 = 0
            if glpkshim_analyze_bound(P, Int32(k), &v1, &x1, &v2, &x2) == GLPKSHIM_ABORTED {
                throw abortedError("glp_analyze_bound", capture)
            }
            return (v1, v2)
        }
        for i in 1...max(m, 1) where m > 0 {
            let (lo, hi) = try bound(i)
            ranging.rowActivityLower.append(lo)
            ranging.rowActivityUpper.append(hi)
        }
        for j in 1...max(n, 1) where n > 0 {
            let (lo, hi) = try bound(m + j)
            ranging.variableValueLower.append(lo)
            ranging.variableValueUpper.append(hi)
            let status = glp_get_col_stat(P, Int32(j))
            if status != GLP_BS {
                // glp_analyze_coef takes basic variables only (it aborts on
                // others): a non-basic variable stays optimal while its
                // reduced cost d keeps its sign, so its cost may move to c - d.
                let c = glp_get_obj_coef(P, Int32(j)), d = glp_get_col_dual(P, Int32(j))
                let minimizing = glp_get_obj_dir(P) == GLP_MIN
                switch (status, minimizing) {
                case (GLP_NL, true), (GLP_NU, false):
                    ranging.costLower.append(c - d); ranging.costUpper.append(.infinity)
                case (GLP_NU, true), (GLP_NL, false):
                    ranging.costLower.append(-.infinity); ranging.costUpper.append(c - d)
                case (GLP_NF, _):
                    ranging.costLower.append(c); ranging.costUpper.append(c)
                default:  // fixed: any cost keeps the basis optimal
                    ranging.costLower.append(-.infinity); ranging.costUpper.append(.infinity)
                }
                continue
            }
            var c1 = 0.0, c2 = 0.0, v1 = 0.0, v2 = 0.0
            var x1: Int32 = 0, x2: Int32 = 0
            if glpkshim_analyze_coef(P, Int32(m + j), &c1, &x1, &v1, &c2, &x2, &v2) == GLPKSHIM_ABORTED {
                throw abortedError("glp_analyze_coef", capture)
            }
            ranging.costLower.append(c1)
            ranging.costUpper.append(c2)
        }
        return ranging
    }

    // MARK: Interior point

    private func solveInterior() throws(ModelError) -> SolveResult {
        let P = try problem.handle()
        var parm = glp_iptcp()
        glp_init_iptcp(&parm)
        parm.msg_lev = messageLevel
        let code = glpkshim_interior(P, &parm)
        if code == GLPKSHIM_ABORTED { throw abortedError("glp_interior", capture) }
        if code == 0 && glp_ipt_status(P) == GLP_OPT {
            let m = Int(glp_get_num_rows(P)), n = Int(glp_get_num_cols(P))
            var result = SolveResult(
                termination: Termination(reason: .optimal, detail: "interior point optimal"),
                primalStatus: .optimal)
            result.objective = glp_ipt_obj_val(P)
            result.values = (0..<n).map { glp_ipt_col_prim(P, Int32($0 + 1)) }
            result.rowActivities = (0..<m).map { glp_ipt_row_prim(P, Int32($0 + 1)) }
            result.rowDuals = (0..<m).map { glp_ipt_row_dual(P, Int32($0 + 1)) }
            result.reducedCosts = (0..<n).map { glp_ipt_col_dual(P, Int32($0 + 1)) }
            if options.checkKKT { result.kkt = try kkt(P, solution: GLP_IPT) }
            return result
        }
        // The interior-point method cannot tell infeasible from unbounded: use the simplex recipe.
        var simplex = options
        simplex.method = .primal
        return try Driver(problem: problem, options: simplex, capture: capture).solveLP(allowBasis: false)
    }

    // MARK: MIP

    private func solveMIP() throws(ModelError) -> SolveResult {
        let P = try problem.handle()
        // A start is checked here and handed over in the problem's own
        // columns, so the presolver (which renumbers them) stays off with one.
        let incumbent = options.mipStart.flatMap { checkedStart($0, P) }
        // 1. The LP relaxation, with the recipe: infeasible relaxation = infeasible MIP.
        let relaxation = try solveLP(allowBasis: true)
        switch relaxation.termination.reason {
        case .optimal: break
        case .infeasible:
            return SolveResult(termination: Termination(reason: .infeasible, detail: "LP relaxation infeasible"))
        case .unbounded, .infeasibleOrUnbounded:
            return SolveResult(termination: Termination(reason: .infeasibleOrUnbounded, detail: "LP relaxation unbounded"))
        case .noSolutionFound:
            guard let x = incumbent else { return relaxation }
            // The limit came during the relaxation: the start is all there is.
            return try lastResort(P, x, into: relaxation, limit: relaxation.termination.limit)
        default:
            return relaxation
        }
        if glp_get_status(P) != GLP_OPT {
            // The recipe may leave a different basis; re-establish the optimum without presolve.
            _ = try runSimplex(P, presolve: false, method: .primal)
        }
        // 2. Branch-and-cut from the optimal relaxation.
        var parm = glp_iocp()
        glp_init_iocp(&parm)
        parm.msg_lev = messageLevel
        switch options.branching {
        case .firstFractional: parm.br_tech = GLP_BR_FFV
        case .lastFractional: parm.br_tech = GLP_BR_LFV
        case .mostFractional: parm.br_tech = GLP_BR_MFV
        case .driebeckTomlin: parm.br_tech = GLP_BR_DTH
        case .pseudoCost: parm.br_tech = GLP_BR_PCH
        }
        switch options.backtracking {
        case .depthFirst: parm.bt_tech = GLP_BT_DFS
        case .breadthFirst: parm.bt_tech = GLP_BT_BFS
        case .bestBound: parm.bt_tech = GLP_BT_BLB
        case .bestProjection: parm.bt_tech = GLP_BT_BPH
        }
        switch options.preprocessing {
        case .none: parm.pp_tech = GLP_PP_NONE
        case .root: parm.pp_tech = GLP_PP_ROOT
        case .all: parm.pp_tech = GLP_PP_ALL
        }
        // A block of a decomposed MIP stops at the whole model's gap
        // (``GapBudget``, which falls back to the block's own gap), not at
        // GLPK's test on the block's own gap: an easy block that stopped at
        // g of its cost would spend slack a hard block needs.
        let budgeted = options.gapBudget != nil || options.race?.race.budget != nil
        parm.mip_gap = budgeted ? 0 : options.relativeGap
        // GLPK drops a node whose bound is within tol_obj (1 + |incumbent|)
        // of the incumbent, 1e-7 by default: looser than the gap asked (1e-9
        // by default), so a search would call a plan optimal that is up to
        // 1e-7 of its cost from the optimum (measured: 43.6 USD on a block of
        // 6.6e8). The gap asked bounds it, down to 1e-12 (below the LP's noise).
        parm.tol_obj = min(parm.tol_obj, max(options.relativeGap, 1e-12))
        parm.tm_lim = remainingMilliseconds
        parm.gmi_cuts = options.cuts.contains(.gomory) ? GLP_ON : GLP_OFF
        parm.mir_cuts = options.cuts.contains(.mir) ? GLP_ON : GLP_OFF
        parm.clq_cuts = options.cuts.contains(.clique) ? GLP_ON : GLP_OFF
        parm.cov_cuts = options.cuts.contains(.cover) && solvesInFlight.load(ordering: .relaxed) <= 1 ? GLP_ON : GLP_OFF
        parm.sr_heur = options.heuristics.contains(.rounding) ? GLP_ON : GLP_OFF
        parm.fp_heur = options.heuristics.contains(.feasibilityPump) ? GLP_ON : GLP_OFF
        // Validated to at most Int32.max / 1000 s; never past the time limit,
        // and no proximity search at all with no time for it.
        parm.ps_tm_lim = min(Int32((options.proximityTimeLimit * 1000).rounded(.up)), remainingMilliseconds)
        parm.ps_heur = options.heuristics.contains(.proximitySearch) && parm.ps_tm_lim > 0 ? GLP_ON : GLP_OFF
        // A racing search exchanges solutions in the problem's own columns.
        parm.presolve = options.mipPresolve && incumbent == nil && options.race == nil && allIntegersBounded(P) ? GLP_ON : GLP_OFF
        // The callback's state lives on this frame for the one call that
        // uses it (GLPK passes its address to the callback and keeps nothing).
        var control = glpkshim_mip_control()
        control.start = start
        control.time_limit = options.timeLimit ?? 0
        control.node_limit = options.nodeLimit.map(Int64.init) ?? -1
        control.incumbent_after = options.mipStartDelay
        // The whole model's gap (a decomposed MIP): the budget object lives
        // as long as `options`, which outlives the call.
        if let budget = options.gapBudget, options.race == nil {
            control.allowance = { context, incumbent, bound in
                guard let context else { return -1 }
                return Unmanaged<GapBudgetShare>.fromOpaque(context).takeUnretainedValue()
                    .allowance(incumbent: incumbent, bound: bound) ?? -1
            }
            control.allowance_context = Unmanaged.passUnretained(budget).toOpaque()
        }
        // A race (``SearchRace``): the entry lives as long as `options`, the
        // exchange buffer (n + 1 doubles, 1-based) as long as this call.
        let exchange = options.race.map { _ in UnsafeMutablePointer<Double>.allocate(capacity: Int(glp_get_num_cols(P)) + 1) }
        defer { exchange?.deallocate() }
        if let entry = options.race {
            control.race = { context, event, hasIncumbent, incumbent, hasBound, bound, x, n in
                guard let context, let x, n >= 0 else { return Int32(GLPKSHIM_RACE_NONE) }
                let entry = Unmanaged<SearchRaceEntry>.fromOpaque(context).takeUnretainedValue()
                let values = UnsafeMutableBufferPointer(start: x + 1, count: Int(n))
                if event == Int32(GLPKSHIM_RACE_FOUND) {
                    entry.race.found(entry.searcher, objective: incumbent, values: UnsafeBufferPointer(values))
                    return Int32(GLPKSHIM_RACE_NONE)
                }
                let answer = entry.race.poll(
                    entry.searcher, own: hasIncumbent != 0 ? incumbent : nil, bound: hasBound != 0 ? bound : nil,
                    heuristic: event == Int32(GLPKSHIM_RACE_HEUR), into: values)
                switch answer {
                case .none: return Int32(GLPKSHIM_RACE_NONE)
                case .offer: return Int32(GLPKSHIM_RACE_OFFER)
                case .stop: return Int32(GLPKSHIM_RACE_STOP)
                case .ended: return Int32(GLPKSHIM_RACE_ENDED)
                }
            }
            control.race_context = Unmanaged.passUnretained(entry).toOpaque()
            control.race_buffer = exchange
        }
        // The threads shared between a decomposed MIP's blocks (``SearchGate``):
        // the entry lives as long as `options`.
        if let gate = options.gate {
            control.pause = { context in
                guard let context else { return }
                Unmanaged<SearchGateEntry>.fromOpaque(context).takeUnretainedValue().checkpoint()
            }
            control.pause_context = Unmanaged.passUnretained(gate).toOpaque()
        }
        let code = withExtendedLifetime((options.gapBudget, options.race, options.gate)) {
            incumbent.map { buffer in
                buffer.withUnsafeBufferPointer { pointer in
                    control.incumbent = pointer.baseAddress
                    defer { control.incumbent = nil }
                    return glpkshim_intopt(P, &parm, &control)
                }
            } ?? glpkshim_intopt(P, &parm, &control)
        }
        if code == GLPKSHIM_ABORTED { throw abortedError("glp_intopt", capture) }
        let status = glp_mip_status(P)
        let hasSolution = status == GLP_OPT || status == GLP_FEAS
        let stopLimit: Limit? =
            switch control.stopped {
            case Int32(GLPKSHIM_STOP_TIME): .time
            case Int32(GLPKSHIM_STOP_NODES): .node
            case Int32(GLPKSHIM_STOP_GAP): .gap
            default: nil
            }
        let raceEnded = control.stopped == Int32(GLPKSHIM_STOP_RACE)
        let termination: Termination
        switch code {
        case 0 where status == GLP_OPT:
            termination = Termination(reason: .optimal, detail: "integer optimal")
        case 0 where status == GLP_NOFEAS, GLP_ENOPFS:
            termination = Termination(reason: .infeasible, detail: "no integer feasible solution")
        case GLP_EMIPGAP:
            termination =
                options.relativeGap <= 1e-9
                ? Termination(reason: .optimal, detail: "integer optimal within relative gap \(options.relativeGap)")
                : Termination(reason: .feasible, limit: .gap, detail: "relative gap \(options.relativeGap) reached")
        case GLP_ESTOP where raceEnded:
            // The other search of the race ended: ``SearchRace/choose(_:_:)`` decides.
            termination = Termination(
                reason: hasSolution ? .feasible : .noSolutionFound, detail: "stopped: the racing search ended")
        case GLP_ESTOP where stopLimit == .gap && hasSolution && options.race != nil:
            // The race's gap (the two searches' best plan and bound): ``SearchRace/choose(_:_:)`` decides.
            termination = Termination(reason: .feasible, limit: .gap, detail: "stopped at the race's gap")
        case GLP_ESTOP where stopLimit == .gap && hasSolution:
            // Stopped at the whole model's gap (``GapBudget``).
            termination =
                options.relativeGap <= 1e-9
                ? Termination(reason: .optimal, detail: "integer optimal within the model's relative gap \(options.relativeGap)")
                : Termination(reason: .feasible, limit: .gap, detail: "the model's relative gap \(options.relativeGap) reached")
        case GLP_ETMLIM, GLP_ESTOP:
            let limit = stopLimit ?? .time
            termination =
                hasSolution
                ? Termination(reason: .feasible, limit: limit, detail: describeCode(code))
                : Termination(reason: .noSolutionFound, limit: limit, detail: describeCode(code))
        case GLP_ENODFS:
            termination = Termination(reason: .infeasibleOrUnbounded, detail: "GLP_ENODFS")
        default:
            termination = Termination(reason: .numericalError, detail: "glp_intopt returned \(describeCode(code)), status \(status)")
        }
        var result = SolveResult(
            termination: termination, primalStatus: hasSolution ? (termination.reason == .optimal ? .optimal : .feasible) : .none)
        result.statistics.nodes = Int(control.nodes)
        if options.mipStart != nil {
            result.statistics.mipStart = incumbent == nil ? .infeasible : (control.incumbent_accepted != 0 ? .accepted : .notBetter)
        }
        result.relaxationBound = relaxation.objective
        // Stopped by a limit or a gap: the best bound of the nodes left, as
        // last seen (replaced by the objective below when proven optimal).
        if control.has_bound != 0 && abs(control.best_bound) < 1e300 && termination.reason != .infeasible {
            result.bestBound = control.best_bound
        }
        // Stopped before any node reported a bound: the relaxation is one.
        if result.bestBound == nil && termination.reason != .infeasible { result.bestBound = relaxation.objective }
        if !hasSolution, termination.reason == .noSolutionFound, let x = incumbent {
            // A limit ended the search before it found a plan or took the
            // start: the start is the plan of last resort (checked above).
            return try lastResort(P, x, into: result, limit: termination.limit)
        }
        guard hasSolution, termination.reason == .optimal || termination.reason == .feasible else {
            result.primalStatus = .none
            return result
        }
        let m = Int(glp_get_num_rows(P)), n = Int(glp_get_num_cols(P))
        result.objective = glp_mip_obj_val(P)
        if termination.reason == .optimal && termination.limit == nil { result.bestBound = result.objective }
        result.values = (0..<n).map { glp_mip_col_val(P, Int32($0 + 1)) }
        result.rowActivities = (0..<m).map { glp_mip_row_val(P, Int32($0 + 1)) }
        if options.checkKKT { result.kkt = try kkt(P, solution: GLP_MIP) }
        if options.mipDuals { try fixedLPDuals(P, into: &result) }
        return result
    }

    /// The result of a search stopped by `limit` without a plan, when a
    /// checked start `x` (1-based) is at hand: the start, reported feasible.
    private func lastResort(
        _ P: OpaquePointer, _ x: [Double], into stopped: SolveResult, limit: Limit?
    ) throws(ModelError) -> SolveResult {
        var result = stopped
        let n = Int(glp_get_num_cols(P))
        result.termination = Termination(
            reason: .feasible, limit: limit, detail: "stopped before the search found a plan: the rounding start")
        result.primalStatus = .feasible
        result.statistics.mipStart = .accepted
        result.values = Array(x[1...])
        var objective = glp_get_obj_coef(P, 0)
        for j in 1...max(n, 1) where n > 0 { objective += glp_get_obj_coef(P, Int32(j)) * x[j] }
        result.objective = objective
        result.rowActivities = Array(activities(P, x)[1...])
        if options.mipDuals { try fixedLPDuals(P, into: &result) }
        return result
    }

    /// The row activities of the point `x` (1-based, as the result).
    private func activities(_ P: OpaquePointer, _ x: [Double]) -> [Double] {
        let m = Int(glp_get_num_rows(P)), n = Int(glp_get_num_cols(P))
        var activity = [Double](repeating: 0, count: m + 1)
        var index = [Int32](repeating: 0, count: m + 1), value = [Double](repeating: 0, count: m + 1)
        for j in 1...max(n, 1) where n > 0 && x[j] != 0 {
            let count = Int(glp_get_mat_col(P, Int32(j), &index, &value))
            for k in 1...max(count, 1) where count > 0 { activity[Int(index[k])] += value[k] * x[j] }
        }
        return activity
    }

    /// `values` as GLPK's heuristic solution (1-based, integers rounded), or
    /// nil when it is not a solution of the loaded problem: GLPK checks
    /// only integrality and would report a point that breaks a row as its
    /// incumbent. Tolerances: 1e-6 on integrality, 1e-7 relative on bounds
    /// and rows.
    private func checkedStart(_ values: [Double], _ P: OpaquePointer) -> [Double]? {
        let m = Int(glp_get_num_rows(P)), n = Int(glp_get_num_cols(P))
        guard values.count == n else { return nil }
        var x = [0.0] + values
        func within(_ v: Double, _ type: Int32, _ lb: Double, _ ub: Double) -> Bool {
            let lowOK = type == GLP_FR || type == GLP_UP || v >= lb - 1e-7 * max(1, abs(lb))
            let highOK = type == GLP_FR || type == GLP_LO || v <= ub + 1e-7 * max(1, abs(ub))
            return lowOK && highOK
        }
        for j in 1...max(n, 1) where n > 0 {
            if glp_get_col_kind(P, Int32(j)) != GLP_CV {
                guard abs(x[j] - x[j].rounded()) <= 1e-6 else { return nil }
                x[j] = x[j].rounded()
            }
            guard within(x[j], glp_get_col_type(P, Int32(j)), glp_get_col_lb(P, Int32(j)), glp_get_col_ub(P, Int32(j))) else {
                return nil
            }
        }
        let activity = activities(P, x)
        for i in 1...max(m, 1) where m > 0 {
            guard within(activity[i], glp_get_row_type(P, Int32(i)), glp_get_row_lb(P, Int32(i)), glp_get_row_ub(P, Int32(i))) else {
                return nil
            }
        }
        return x
    }

    private func allIntegersBounded(_ P: OpaquePointer) -> Bool {
        let n = glp_get_num_cols(P)
        for j in 1...max(n, 1) where n > 0 && glp_get_col_kind(P, j) != GLP_CV {
            if glp_get_col_type(P, j) != GLP_DB && glp_get_col_type(P, j) != GLP_FX { return false }
        }
        return true
    }

    /// Duals of the LP with every integer variable fixed at its MIP value.
    private func fixedLPDuals(_ P: OpaquePointer, into result: inout SolveResult) throws(ModelError) {
        let n = Int(glp_get_num_cols(P))
        for j in 0..<n where glp_get_col_kind(P, Int32(j + 1)) != GLP_CV {
            let value = result.values[j].rounded()
            glp_set_col_kind(P, Int32(j + 1), GLP_CV)
            glp_set_col_bnds(P, Int32(j + 1), GLP_FX, value, value)
        }
        try prepareBasis(P, allowBasis: false)
        let code = try runSimplex(P, presolve: false, method: .dualPrimal)
        guard code == 0, glp_get_status(P) == GLP_OPT else { return }
        let m = Int(glp_get_num_rows(P))
        result.rowDuals = (0..<m).map { glp_get_row_dual(P, Int32($0 + 1)) }
        result.reducedCosts = (0..<n).map { glp_get_col_dual(P, Int32($0 + 1)) }
    }
}

/// GLPK return code as its symbolic name.
func describeCode(_ code: Int32) -> String {
    let names: [Int32: String] = [
        0: "0", GLP_EBADB: "GLP_EBADB", GLP_ESING: "GLP_ESING", GLP_ECOND: "GLP_ECOND",
        GLP_EBOUND: "GLP_EBOUND", GLP_EFAIL: "GLP_EFAIL", GLP_EOBJLL: "GLP_EOBJLL",
        GLP_EOBJUL: "GLP_EOBJUL", GLP_EITLIM: "GLP_EITLIM", GLP_ETMLIM: "GLP_ETMLIM",
        GLP_ENOPFS: "GLP_ENOPFS", GLP_ENODFS: "GLP_ENODFS", GLP_EROOT: "GLP_EROOT",
        GLP_ESTOP: "GLP_ESTOP", GLP_EMIPGAP: "GLP_EMIPGAP", GLP_ENOFEAS: "GLP_ENOFEAS",
        GLP_ENOCVG: "GLP_ENOCVG", GLP_EINSTAB: "GLP_EINSTAB", GLP_EDATA: "GLP_EDATA",
        GLP_ERANGE: "GLP_ERANGE"
    ]
    return names[code] ?? "code \(code)"
}
