import FoundationEssentials
public import StrictJSON

extension Plan {
    /// The plan as JSON (`"format": "sourcing-plan/1"`, documented in
    /// docs/REPORTS.md). Deterministic: fixed key order, arrays in model
    /// order, no timings.
    public func jsonValue() -> JSONValue {
        func num(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        var members: [(key: String, value: JSONValue)] = [
            ("format", .string("sourcing-plan/1")),
            ("status", .string(status.rawValue)),
            ("detail", .string(detail)),
            ("instance", str(instanceName)),
            ("kind", .string(kind)),
            ("instanceFormat", .string(instanceVersion.formatName)),
            ("objective", num(objective))
        ]
        if kind == "mip" {
            members.append(
                (
                    "mip",
                    .object([
                        ("bestBound", num(bestBound)), ("gap", num(mipGap)),
                        ("relaxationBound", num(relaxationBound)), ("relaxationGap", num(relaxationGap)),
                        ("start", str(mipStart?.rawValue))
                    ])
                ))
        }
        if let b = breakdown {
            members.append(
                (
                    "breakdown",
                    .object([
                        ("mines", .number(b.mines)), ("refineries", .number(b.refineries)),
                        ("transport", .number(b.transport)), ("tariff", .number(b.tariff)),
                        ("contracts", .number(b.contracts)), ("shortfall", .number(b.shortfall)),
                        ("capExcess", .number(b.capExcess)),
                        ("floorPremium", .number(b.floorPremium)), ("floorLevy", .number(b.floorLevy))
                    ])
                ))
        } else {
            members.append(("breakdown", .null))
        }
        members.append(
            (
                "flows",
                .object([
                    (
                        "ore",
                        .array(
                            oreFlows.map { f in
                                .object([
                                    ("mine", .string(f.mine)), ("refinery", .string(f.refinery)), ("mineral", .string(f.mineral)),
                                    ("clean", .number(f.clean)), ("exposed", .number(f.exposed))
                                ])
                            })
                    ),
                    (
                        "product",
                        .array(
                            productFlows.map { f in
                                .object([
                                    ("refinery", .string(f.refinery)), ("buyer", .string(f.buyer)), ("mineral", .string(f.mineral)),
                                    ("clean", .number(f.clean)), ("exposed", .number(f.exposed))
                                ])
                            })
                    )
                ])
            ))
        members.append(
            (
                "deliveries",
                .array(
                    deliveries.map { d in
                        .object([
                            ("buyer", .string(d.buyer)), ("mineral", .string(d.mineral)), ("demand", .number(d.demand)),
                            ("delivered", .number(d.delivered)), ("shortfall", .number(d.shortfall)),
                            ("shortfallCost", .number(d.shortfallCost)), ("shortfallValue", .number(d.shortfallValue)),
                            ("exposedShare", num(d.exposedShare)), ("cap", num(d.cap)),
                            ("capPenalty", num(d.capPenalty)), ("capExcess", .number(d.capExcess)),
                            ("landedCost", num(d.landedCost)), ("marginalPrice", num(d.marginalPrice)),
                            ("byCountry", .array(d.byCountry.map { $0.jsonValue() })),
                            ("buyerCountry", .string(d.buyerCountry)),
                            ("byMiningCountry", .array(d.byMiningCountry.map { $0.jsonValue() })),
                            ("risk", risk(of: d).jsonValue())
                        ])
                    })
            ))
        members.append(("minerals", objective == nil ? .array([]) : .array(mineralSummaries().map { $0.jsonValue() })))
        members.append(
            (
                "facilities",
                .array(
                    facilities.map { f in
                        .object([
                            ("id", .string(f.id)), ("stage", .string(f.stage.rawValue)), ("mineral", .string(f.mineral)),
                            ("country", .string(f.country)), ("output", .number(f.output)), ("capacity", .number(f.capacity)),
                            ("hostLimit", num(f.hostLimit)), ("effectiveCapacity", .number(f.effectiveCapacity)),
                            ("utilisation", num(f.utilisation)), ("contracted", f.contracted.map { .bool($0) } ?? .null)
                        ])
                    })
            ))
        members.append(
            (
                "shadowPrices",
                .array(
                    shadowPrices.map { p in
                        .object([
                            ("kind", .string(p.kind.rawValue)), ("id", .string(p.id)), ("mineral", .string(p.mineral)),
                            ("value", .number(p.value))
                        ])
                    })
            ))
        if let e = explanation {
            members.append(
                (
                    "explanation",
                    .object([
                        ("totalShortfall", num(e.totalShortfall)),
                        (
                            "shortfalls",
                            .array(
                                e.shortfalls.map { s in
                                    .object([
                                        ("buyer", .string(s.buyer)), ("mineral", .string(s.mineral)), ("tonnes", .number(s.tonnes))
                                    ])
                                })
                        ),
                        ("capsAloneRestoreFeasibility", .bool(e.totalCapExcess != nil)),
                        ("totalCapExcess", num(e.totalCapExcess)),
                        (
                            "capNeeds",
                            .array(
                                e.capNeeds.map { c in
                                    .object([
                                        ("buyer", .string(c.buyer)), ("mineral", .string(c.mineral)), ("cap", .number(c.cap)),
                                        ("needed", .number(c.needed)), ("excess", .number(c.excess))
                                    ])
                                })
                        )
                    ])
                ))
        } else {
            members.append(("explanation", .null))
        }
        members.append(
            (
                "model",
                .object([
                    ("variables", .number(Double(variables))), ("constraints", .number(Double(constraints))),
                    ("nonzeros", .number(Double(nonzeros))),
                    (
                        "presolve",
                        .object([
                            ("variablesRemoved", .number(Double(presolve.variablesRemoved))),
                            ("rowsRemoved", .number(Double(presolve.rowsRemoved))),
                            ("mineTagVariables", .number(Double(presolve.mineTagVariables))),
                            ("refineryTagVariables", .number(Double(presolve.refineryTagVariables))),
                            ("cappedTagVariables", .number(Double(presolve.cappedTagVariables))),
                            ("trivialRows", .number(Double(presolve.trivialRows))),
                            ("countryShareRows", .number(Double(presolve.countryShareRows))),
                            ("impossibleContracts", .number(Double(presolve.impossibleContracts)))
                        ])
                    )
                ])
            ))
        members.append(("stamp", stamp?.jsonValue() ?? .null))
        return .object(members)
    }
}

extension Stamp {
    /// The stamp as a `key,value` table (`stamp.csv` of a CSV folder).
    public func table() -> Table {
        Table(
            name: "stamp", header: ["key", "value"],
            rows: [["input_sha256", inputSHA256], ["glpk_version", glpkVersion], ["planner_version", plannerVersion]]
                + options.map { ["option_" + $0.name, $0.value] })
    }

    /// `{inputSHA256, glpkVersion, plannerVersion, options}`.
    public func jsonValue() -> JSONValue {
        .object([
            ("inputSHA256", .string(inputSHA256)), ("glpkVersion", .string(glpkVersion)),
            ("plannerVersion", .string(plannerVersion)),
            ("options", .object(options.map { (key: $0.name, value: JSONValue.string($0.value)) }))
        ])
    }
}
