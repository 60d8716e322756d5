/* sourcing.mod -- the sourcing model v1 in GNU MathProg.
 *
 * An independent cross-check of the planner: everything (arcs, blocks,
 * transport lookup, exposure defaults, price floors, tariffs, caps and
 * limits with their "*" keys) is derived here from the raw instance data,
 * in the data format documented in models/README.md.  The formulation is
 * described in docs/FORMULATION.md.
 *
 *   glpsol -m models/sourcing.mod -d models/data/NAME.dat
 *
 * prints the breakdown of the cost and, as its last line before glpsol's
 * own "Model has been successfully processed",
 *
 *   OBJECTIVE <value printed with %.12g>
 *
 * An infeasible instance prints no OBJECTIVE line: glpsol reports "PROBLEM
 * HAS NO PRIMAL FEASIBLE SOLUTION" (or, depending on where GLPK finds out,
 * "LP HAS NO PRIMAL FEASIBLE SOLUTION", "PROBLEM HAS NO FEASIBLE SOLUTION",
 * "PROBLEM HAS NO INTEGER FEASIBLE SOLUTION") and skips the printing below.
 * A test should therefore read the OBJECTIVE line and treat its absence
 * together with "NO ... FEASIBLE SOLUTION" as infeasible.
 *
 * The two steps that explain an infeasible instance (spec section 6) are
 * the same model with the scalar `explain` set, for example by a second
 * data file:  glpsol -m models/sourcing.mod -d NAME.dat -d models/explain-shortfall.dat
 *   explain = 1: a shortfall variable for every buyer and mineral, minimise
 *                the total shortfall in tonnes (costs ignored);
 *   explain = 2: no shortfall at all (every demand met), a slack on every
 *                exposure cap, minimise the total excess in tonnes.
 */

/* ====================================================================== */
/* Raw instance data                                                      */
/* ====================================================================== */

/* minerals */
set MINERALS, default {};
param price_floor{MINERALS} >= 0, default 0;        /* absent = no floor */
param reference_price{MINERALS} >= 0, default 0;
set PENALIZED within MINERALS, default {};           /* minerals with their own shortfallPenalty */
param shortfall_penalty{PENALIZED} >= 0;

/* countries */
set COUNTRIES, default {};
set COALITION within COUNTRIES, default {};

/* facilities: mines and refineries share one namespace */
set MINES, default {};
set REFINERIES, default {};
set FACILITIES := MINES union REFINERIES;
check card(MINES inter REFINERIES) = 0;
param mineral{FACILITIES} symbolic, in MINERALS;
param country{FACILITIES} symbolic, in COUNTRIES;
param capacity{FACILITIES} >= 0;
param price{MINES} >= 0;
param fee{REFINERIES} >= 0;
param yield{REFINERIES} > 0, <= 1, default 1;
set FEED_NONE within REFINERIES, default {};         /* feed "none" sources */
param china_exposure{s in FACILITIES} >= 0, <= 1,
      default (if country[s] = 'CHN' then 1 else 0);
param fixed_cost{FACILITIES} >= 0, default 0;
param min_volume{FACILITIES} >= 0, default 0;

/* buyers */
set BUYERS, default {};
param buyer_country{BUYERS} symbolic, in COUNTRIES;
/* (a default {...: 1 = 0} is an empty set of pairs: MathProg's {} has dimension 1) */
set DEMAND within BUYERS cross MINERALS,            /* keys of each buyer's demand map */
    default {b in BUYERS, k in MINERALS: 1 = 0};
param demand{DEMAND} >= 0;
set EXPOSURE_CAP_KEYS within BUYERS cross (MINERALS union {'*'}),
    default {b in BUYERS, k in MINERALS union {'*'}: 1 = 0};
param exposure_cap{EXPOSURE_CAP_KEYS} >= 0, <= 1;
set MAX_SUPPLIERS_KEYS within BUYERS cross (MINERALS union {'*'}),
    default {b in BUYERS, k in MINERALS union {'*'}: 1 = 0};
param max_suppliers{MAX_SUPPLIERS_KEYS} integer, >= 0;

/* transport entries, by ordered (from, to) pair */
set TRANSPORT within COUNTRIES cross COUNTRIES,
    default {a in COUNTRIES, c in COUNTRIES: 1 = 0};
param transport_cost{TRANSPORT} >= 0;

/* policy */
param default_transport_cost >= 0, default 0;
param external_tariff >= 0, default 0;
param max_country_share >= 0, <= 1, default 1;
param min_coalition_share >= 0, <= 1, default 0;
param has_policy_shortfall_penalty binary, default 0;
param policy_shortfall_penalty >= 0, default 0;
check: has_policy_shortfall_penalty = 1 or policy_shortfall_penalty = 0;
set BLOCKS, default {};                              /* indices of policy.blocked */
param block_from{BLOCKS} symbolic, in COUNTRIES union {'*'}, default '*';
param block_to{BLOCKS} symbolic, in COUNTRIES union {'*'}, default '*';
param block_mineral{BLOCKS} symbolic, in MINERALS union {'*'}, default '*';

/* 0 = the plan; 1 and 2 = the two steps of an infeasibility explanation */
param explain integer, in {0, 1, 2}, default 0;

/* MathProg evaluates parameters lazily: these checks make it read (and so
   validate) every member, also of facilities and buyers that have no arc. */
check{s in FACILITIES}: mineral[s] in MINERALS and country[s] in COUNTRIES
  and capacity[s] >= 0 and china_exposure[s] >= 0 and fixed_cost[s] >= 0
  and min_volume[s] >= 0;
check{m in MINES}: price[m] >= 0;
check{r in REFINERIES}: fee[r] >= 0 and yield[r] > 0;
check{k in MINERALS}: price_floor[k] >= 0 and reference_price[k] >= 0;
check{k in PENALIZED}: shortfall_penalty[k] >= 0;
check{b in BUYERS}: buyer_country[b] in COUNTRIES;
check{(b, k) in DEMAND}: demand[b, k] >= 0;
check{(b, k) in EXPOSURE_CAP_KEYS}: exposure_cap[b, k] >= 0;
check{(b, k) in MAX_SUPPLIERS_KEYS}: max_suppliers[b, k] >= 0;
check{(a, c) in TRANSPORT}: transport_cost[a, c] >= 0;
check{l in BLOCKS}: block_from[l] <> '' and block_to[l] <> '' and block_mineral[l] <> '';

/* ====================================================================== */
/* Derived data                                                           */
/* ====================================================================== */

/* Arcs. A block applies only between different countries, and when each
   of its fields is "*" (absent) or equal to the arc's value. */
set MR within MINES cross REFINERIES :=
  {m in MINES, r in REFINERIES:
     mineral[m] = mineral[r] and r not in FEED_NONE and
     not (country[m] <> country[r] and
          exists{l in BLOCKS}
            ((block_from[l] = '*' or block_from[l] = country[m]) and
             (block_to[l] = '*' or block_to[l] = country[r]) and
             (block_mineral[l] = '*' or block_mineral[l] = mineral[m])))};

set RB within REFINERIES cross BUYERS :=
  {r in REFINERIES, b in BUYERS:
     (b, mineral[r]) in DEMAND and
     not (country[r] <> buyer_country[b] and
          exists{l in BLOCKS}
            ((block_from[l] = '*' or block_from[l] = country[r]) and
             (block_to[l] = '*' or block_to[l] = buyer_country[b]) and
             (block_mineral[l] = '*' or block_mineral[l] = mineral[r])))};

/* facilities that have at least one arc (rows of the others are empty) */
set MINES_WITH_ARCS := setof{(m, r) in MR} m;
set MINED_WITH_ARCS := (setof{(m, r) in MR} r) union
                       (setof{(r, b) in RB: r not in FEED_NONE} r);
set SOURCES_WITH_ARCS := setof{(r, b) in RB: r in FEED_NONE} r;
set REFINERIES_WITH_OUT := setof{(r, b) in RB} r;

/* transport cost from country a to country b: entry (a,b), else (b,a),
   else 0 inside one country, else the policy default */
param tcost{a in COUNTRIES, c in COUNTRIES} :=
  if (a, c) in TRANSPORT then transport_cost[a, c]
  else if (c, a) in TRANSPORT then transport_cost[c, a]
  else if a = c then 0
  else default_transport_cost;

/* price floors: coalition mines, and feed-"none" sources in the coalition */
param unit_price{m in MINES} :=
  if country[m] in COALITION then max(price[m], price_floor[mineral[m]])
  else price[m];
param unit_fee{r in REFINERIES} :=
  if r in FEED_NONE and country[r] in COALITION
  then max(fee[r], price_floor[mineral[r]])
  else fee[r];

/* tariff per tonne on a refinery -> buyer arc */
param tariff{(r, b) in RB} :=
  if country[r] not in COALITION and buyer_country[b] in COALITION
  then external_tariff * reference_price[mineral[r]]
  else 0;

/* shortfall: only where a penalty applies (own, else policy) */
param penalty{k in MINERALS} :=
  if k in PENALIZED then shortfall_penalty[k] else policy_shortfall_penalty;
set SHORT within DEMAND :=
  {(b, k) in DEMAND:
     explain = 1 or
     (explain = 0 and (k in PENALIZED or has_policy_shortfall_penalty = 1))};

/* exposure cap: mineral key, else "*", else none */
set CAPPED within DEMAND :=
  {(b, k) in DEMAND: (b, k) in EXPOSURE_CAP_KEYS or (b, '*') in EXPOSURE_CAP_KEYS};
param cap{(b, k) in CAPPED} :=
  if (b, k) in EXPOSURE_CAP_KEYS then exposure_cap[b, k] else exposure_cap[b, '*'];

/* supplier limit: mineral key, else "*", else none */
set LIMITED within DEMAND :=
  {(b, k) in DEMAND: (b, k) in MAX_SUPPLIERS_KEYS or (b, '*') in MAX_SUPPLIERS_KEYS};
param supplier_limit{(b, k) in LIMITED} :=
  if (b, k) in MAX_SUPPLIERS_KEYS then max_suppliers[b, k] else max_suppliers[b, '*'];
set WARCS within RB := {(r, b) in RB: (b, mineral[r]) in LIMITED};

/* contracts */
set CONTRACTED within FACILITIES := {s in FACILITIES: fixed_cost[s] > 0 or min_volume[s] > 0};

/* countries that have a refinery of mineral k with an arc to buyer b */
set SUPPLY_COUNTRIES{(b, k) in DEMAND} :=
  setof{(r, b) in RB: mineral[r] = k} country[r];

/* ====================================================================== */
/* Variables                                                              */
/* ====================================================================== */

var fc{MR} >= 0;                     /* clean ore on mine -> refinery */
var fx{MR} >= 0;                     /* exposed ore on mine -> refinery */
var qc{RB} >= 0;                     /* clean product on refinery -> buyer */
var qx{RB} >= 0;                     /* exposed product on refinery -> buyer */
var u{SHORT} >= 0;                   /* shortfall */
var z{CONTRACTED} binary;            /* facility contracted */
var w{WARCS} binary;                 /* arc r -> b used */
var cap_excess{(b, k) in CAPPED: explain = 2} >= 0;   /* explanation step 2 only */

/* ====================================================================== */
/* Constraints                                                            */
/* ====================================================================== */

/* 1. mine capacity */
s.t. mine_capacity{m in MINES_WITH_ARCS}:
  sum{(m, r) in MR} (fc[m, r] + fx[m, r]) <= capacity[m];

/* 2. mine exposure: a mass balance over all arcs of the mine */
s.t. mine_exposure{m in MINES_WITH_ARCS}:
  sum{(m, r) in MR} fx[m, r] = china_exposure[m] * sum{(m, r) in MR} (fc[m, r] + fx[m, r]);

/* 3. mined refinery: exposed input stays exposed, e_r of clean input
      becomes exposed; output = yield * input, nothing thrown away */
s.t. refinery_exposed_balance{r in MINED_WITH_ARCS}:
  sum{(r, b) in RB} qx[r, b]
  = yield[r] * sum{(m, r) in MR} (fx[m, r] + china_exposure[r] * fc[m, r]);
s.t. refinery_clean_balance{r in MINED_WITH_ARCS}:
  sum{(r, b) in RB} qc[r, b]
  = yield[r] * (1 - china_exposure[r]) * sum{(m, r) in MR} fc[m, r];

/* 4. feed-"none" source: exposed share of its output */
s.t. source_exposure{r in SOURCES_WITH_ARCS}:
  sum{(r, b) in RB} qx[r, b] = china_exposure[r] * sum{(r, b) in RB} (qc[r, b] + qx[r, b]);

/* 5. refinery capacity (per tonne of output) */
s.t. refinery_capacity{r in REFINERIES_WITH_OUT}:
  sum{(r, b) in RB} (qc[r, b] + qx[r, b]) <= capacity[r];

/* 6. demand, exactly */
s.t. demand_balance{(b, k) in DEMAND}:
  sum{(r, b) in RB: mineral[r] = k} (qc[r, b] + qx[r, b])
  + (if (b, k) in SHORT then u[b, k] else 0)
  = demand[b, k];

/* 7. exposure cap, a share of what is delivered */
s.t. exposure_cap_row{(b, k) in CAPPED}:
  sum{(r, b) in RB: mineral[r] = k} qx[r, b]
  <= cap[b, k] * sum{(r, b) in RB: mineral[r] = k} (qc[r, b] + qx[r, b])
     + (if explain = 2 then cap_excess[b, k] else 0);

/* 8. country diversification, a share of demand, by refinery country */
s.t. country_share{(b, k) in DEMAND, c in SUPPLY_COUNTRIES[b, k]}:
  sum{(r, b) in RB: mineral[r] = k and country[r] = c} (qc[r, b] + qx[r, b])
  <= max_country_share * demand[b, k];

/* 9. coalition offtake, a share of what is delivered, by refinery country */
s.t. coalition_offtake{(b, k) in DEMAND: min_coalition_share > 0}:
  sum{(r, b) in RB: mineral[r] = k and country[r] in COALITION} (qc[r, b] + qx[r, b])
  >= min_coalition_share * sum{(r, b) in RB: mineral[r] = k} (qc[r, b] + qx[r, b]);

/* 10. contracts: output within [minVolume, capacity] when contracted, else 0 */
s.t. contract_max{s in CONTRACTED}:
  (if s in MINES then sum{(s, r) in MR} (fc[s, r] + fx[s, r])
   else sum{(s, b) in RB} (qc[s, b] + qx[s, b]))
  <= capacity[s] * z[s];
s.t. contract_min{s in CONTRACTED}:
  (if s in MINES then sum{(s, r) in MR} (fc[s, r] + fx[s, r])
   else sum{(s, b) in RB} (qc[s, b] + qx[s, b]))
  >= min_volume[s] * z[s];

/* 11. supplier count */
s.t. supplier_use{(r, b) in WARCS}:
  qc[r, b] + qx[r, b] <= demand[b, mineral[r]] * w[r, b];
s.t. supplier_count{(b, k) in LIMITED}:
  sum{(r, b) in WARCS: mineral[r] = k} w[r, b] <= supplier_limit[b, k];

/* ====================================================================== */
/* Objective                                                              */
/* ====================================================================== */

minimize total_cost:
  if explain = 0 then
      sum{(m, r) in MR} unit_price[m] * (fc[m, r] + fx[m, r])
    + sum{(r, b) in RB} unit_fee[r] * (qc[r, b] + qx[r, b])
    + sum{(m, r) in MR} tcost[country[m], country[r]] * (fc[m, r] + fx[m, r])
    + sum{(r, b) in RB} tcost[country[r], buyer_country[b]] * (qc[r, b] + qx[r, b])
    + sum{(r, b) in RB} tariff[r, b] * (qc[r, b] + qx[r, b])
    + sum{s in CONTRACTED} fixed_cost[s] * z[s]
    + sum{(b, k) in SHORT} penalty[k] * u[b, k]
  else if explain = 1 then
      sum{(b, k) in SHORT} u[b, k]
  else
      sum{(b, k) in CAPPED} cap_excess[b, k];

solve;

/* ====================================================================== */
/* Report                                                                 */
/* ====================================================================== */

param eps := 1e-9;
param delivered{(b, k) in DEMAND} :=
  sum{(r, b) in RB: mineral[r] = k} (qc[r, b].val + qx[r, b].val);
param exposed{(b, k) in DEMAND} := sum{(r, b) in RB: mineral[r] = k} qx[r, b].val;

for {{0}: explain = 0} {
  printf "BREAKDOWN mines %.12g\n",
    sum{(m, r) in MR} unit_price[m] * (fc[m, r].val + fx[m, r].val);
  printf "BREAKDOWN refineries %.12g\n",
    sum{(r, b) in RB} unit_fee[r] * (qc[r, b].val + qx[r, b].val);
  printf "BREAKDOWN transport %.12g\n",
    sum{(m, r) in MR} tcost[country[m], country[r]] * (fc[m, r].val + fx[m, r].val)
    + sum{(r, b) in RB} tcost[country[r], buyer_country[b]] * (qc[r, b].val + qx[r, b].val);
  printf "BREAKDOWN tariff %.12g\n",
    sum{(r, b) in RB} tariff[r, b] * (qc[r, b].val + qx[r, b].val);
  printf "BREAKDOWN contracts %.12g\n", sum{s in CONTRACTED} fixed_cost[s] * z[s].val;
  printf "BREAKDOWN shortfall %.12g\n", sum{(b, k) in SHORT} penalty[k] * u[b, k].val;
  printf "FLOOR_PREMIUM %.12g\n",
    sum{(m, r) in MR} (unit_price[m] - price[m]) * (fc[m, r].val + fx[m, r].val)
    + sum{(r, b) in RB} (unit_fee[r] - fee[r]) * (qc[r, b].val + qx[r, b].val);
  printf{(m, r) in MR: fc[m, r].val + fx[m, r].val > eps}
    "FLOW ore %s -> %s clean %.12g exposed %.12g\n", m, r, fc[m, r].val, fx[m, r].val;
  printf{(r, b) in RB: qc[r, b].val + qx[r, b].val > eps}
    "FLOW product %s -> %s clean %.12g exposed %.12g\n", r, b, qc[r, b].val, qx[r, b].val;
  printf{s in CONTRACTED} "CONTRACT %s %.12g\n", s, z[s].val;
  printf{(b, k) in DEMAND}
    "DELIVERY %s %s delivered %.12g shortfall %.12g exposed_share %s\n", b, k,
    delivered[b, k], demand[b, k] - delivered[b, k],
    if delivered[b, k] > eps then (exposed[b, k] / delivered[b, k]) & '' else 'null';
}
for {{0}: explain = 1} {
  printf{(b, k) in DEMAND: u[b, k].val > eps}
    "SHORTFALL %s %s %.12g\n", b, k, u[b, k].val;
}
for {{0}: explain = 2} {
  printf{(b, k) in CAPPED}
    "CAP %s %s cap %.12g needed %.12g excess %.12g\n", b, k, cap[b, k],
    cap[b, k] + (if delivered[b, k] > eps then cap_excess[b, k].val / delivered[b, k] else 0),
    cap_excess[b, k].val;
}
printf "OBJECTIVE %.12g\n", total_cost;

end;
