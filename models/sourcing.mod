/* sourcing.mod -- the sourcing model (versions 1 and 2) in GNU MathProg.
 *
 * An independent cross-check of the planner: everything (arcs, blocks,
 * transport lookup, exposure defaults, price floors or border charges,
 * tariffs, shortfall curves with their precedence, caps hard or soft and
 * limits with their "*" keys, by-product capacities) is derived here from
 * the raw instance data, in the data format documented in
 * models/README.md.  The formulation is described in docs/FORMULATION.md
 * (version 1) and in the version 2 page that amends it.  The scalar
 * `version` (default 1) selects the meaning of a price floor: 1 raises
 * coalition producers' prices, 2 charges imports at the border.  Every
 * other version 2 item (curves, soft caps, by-products) has a default
 * that leaves a version 1 data file exactly as it was.
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
 * In both steps a soft exposure cap (version 2) is left out: it can always
 * bend.  So step 2 puts a slack on the hard caps only, and step 1 ignores
 * shortfall curves (one shortfall in tonnes per buyer and mineral).
 * By-product capacities apply in every mode.
 */

/* ====================================================================== */
/* Raw instance data                                                      */
/* ====================================================================== */

/* 1: version 1 floors (coalition producers' prices raised);
   2: version 2 border charge on imports into the coalition */
param version integer, in {1, 2}, default 1;

/* minerals */
set MINERALS, default {};
param price_floor{MINERALS} >= 0, default 0;        /* absent = no floor */
param reference_price{MINERALS} >= 0, default 0;
set PENALIZED within MINERALS, default {};           /* minerals with their own shortfallPenalty (a number, version 1 files) */
param shortfall_penalty{PENALIZED} >= 0;

/* Shortfall curves (version 2 files). Every penalty is a curve of segments
   j = 1..n in file order (a number p is the one segment (1, p)): up_to is
   the share a_j of the buyer's demand, penalty p_j USD/t. */
set MINERAL_SEGMENTS dimen 2,                        /* (k, j): minerals[i].shortfallPenalty */
    default {k in MINERALS, j in 1..1: 1 = 0};
param mineral_up_to{MINERAL_SEGMENTS};
param mineral_segment_penalty{MINERAL_SEGMENTS};
set POLICY_SEGMENTS, default {};                     /* j: policy.shortfallPenalty */
param policy_up_to{POLICY_SEGMENTS};
param policy_segment_penalty{POLICY_SEGMENTS};

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
/* by-product facilities (version 2): mines or refineries, feed-none included */
set BY_PRODUCT within FACILITIES, default {};
param host_throughput{BY_PRODUCT} >= 0;              /* byProduct.hostThroughput H */
param host_ratio{BY_PRODUCT} >= 0;                   /* byProduct.ratio k */

/* buyers */
set BUYERS, default {};
param buyer_country{BUYERS} symbolic, in COUNTRIES;
/* (a default {...: 1 = 0} is an empty set of pairs: MathProg's {} has dimension 1) */
set DEMAND within BUYERS cross MINERALS,            /* keys of each buyer's demand map */
    default {b in BUYERS, k in MINERALS: 1 = 0};
param demand{DEMAND} >= 0;
set EXPOSURE_CAP_KEYS within BUYERS cross (MINERALS union {'*'}),
    default {b in BUYERS, k in MINERALS union {'*'}: 1 = 0};
param exposure_cap{EXPOSURE_CAP_KEYS} >= 0, <= 1;   /* the share, hard or soft */
/* soft caps (version 2): these keys may be exceeded at cap_penalty USD per exposed tonne */
set SOFT_CAP_KEYS within EXPOSURE_CAP_KEYS,
    default {b in BUYERS, k in MINERALS union {'*'}: 1 = 0};
param cap_penalty{SOFT_CAP_KEYS} >= 0;
set MAX_SUPPLIERS_KEYS within BUYERS cross (MINERALS union {'*'}),
    default {b in BUYERS, k in MINERALS union {'*'}: 1 = 0};
param max_suppliers{MAX_SUPPLIERS_KEYS} integer, >= 0;
/* buyers' own shortfall penalties (version 2): (b, key, j), key a mineral id or '*' */
set BUYER_SEGMENTS dimen 3,
    default {b in BUYERS, k in MINERALS union {'*'}, j in 1..1: 1 = 0};
param buyer_up_to{BUYER_SEGMENTS};
param buyer_segment_penalty{BUYER_SEGMENTS};

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
check{s in BY_PRODUCT}: host_throughput[s] >= 0 and host_ratio[s] >= 0;
check{(b, k) in SOFT_CAP_KEYS}: cap_penalty[b, k] >= 0;

/* Curves: j = 1..n without gaps, a_j in (0, 1] strictly increasing, the
   last a_n = 1, penalties >= 0 and non-decreasing (a convex cost). */
check{(k, j) in MINERAL_SEGMENTS}: k in MINERALS and j = round(j) and j >= 1
  and (j = 1 or (k, j - 1) in MINERAL_SEGMENTS)
  and mineral_up_to[k, j] > (if j = 1 then 0 else mineral_up_to[k, j - 1])
  and mineral_up_to[k, j] <= 1
  and ((k, j + 1) in MINERAL_SEGMENTS or mineral_up_to[k, j] = 1)
  and mineral_segment_penalty[k, j]
      >= (if j = 1 then 0 else mineral_segment_penalty[k, j - 1]);
check{j in POLICY_SEGMENTS}: j = round(j) and j >= 1
  and (j = 1 or j - 1 in POLICY_SEGMENTS)
  and policy_up_to[j] > (if j = 1 then 0 else policy_up_to[j - 1])
  and policy_up_to[j] <= 1
  and (j + 1 in POLICY_SEGMENTS or policy_up_to[j] = 1)
  and policy_segment_penalty[j] >= (if j = 1 then 0 else policy_segment_penalty[j - 1]);
check{(b, k, j) in BUYER_SEGMENTS}: b in BUYERS and k in MINERALS union {'*'}
  and j = round(j) and j >= 1
  and (j = 1 or (b, k, j - 1) in BUYER_SEGMENTS)
  and buyer_up_to[b, k, j] > (if j = 1 then 0 else buyer_up_to[b, k, j - 1])
  and buyer_up_to[b, k, j] <= 1
  and ((b, k, j + 1) in BUYER_SEGMENTS or buyer_up_to[b, k, j] = 1)
  and buyer_segment_penalty[b, k, j]
      >= (if j = 1 then 0 else buyer_segment_penalty[b, k, j - 1]);
/* a mineral's or the policy's penalty is given one way, not both */
check{(k, j) in MINERAL_SEGMENTS}: k not in PENALIZED;
check: has_policy_shortfall_penalty = 0 or card(POLICY_SEGMENTS) = 0;

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

/* version 1 price floors: coalition mines, and feed-"none" sources in the
   coalition (version 2: no raise, the floor is a border charge below) */
param unit_price{m in MINES} :=
  if version = 1 and country[m] in COALITION then max(price[m], price_floor[mineral[m]])
  else price[m];
param unit_fee{r in REFINERIES} :=
  if version = 1 and r in FEED_NONE and country[r] in COALITION
  then max(fee[r], price_floor[mineral[r]])
  else fee[r];

/* charge per tonne on a refinery -> buyer arc from a non-coalition country
   to a coalition buyer: version 1 the tariff t * ref; version 2 the border
   charge max(t * ref, F - ref).  An absent floor is F = 0, and then
   F - ref <= 0 <= t * ref: the plain tariff, as the spec says. */
param plain_tariff{(r, b) in RB} :=
  if country[r] not in COALITION and buyer_country[b] in COALITION
  then external_tariff * reference_price[mineral[r]]
  else 0;
param tariff{(r, b) in RB} :=
  if country[r] not in COALITION and buyer_country[b] in COALITION
  then (if version = 2
        then max(external_tariff * reference_price[mineral[r]],
                 price_floor[mineral[r]] - reference_price[mineral[r]])
        else external_tariff * reference_price[mineral[r]])
  else 0;

/* Shortfall penalty of buyer b for mineral k, most specific first:
   1 b's entry for k, 2 b's "*" entry, 3 k's own (curve or number),
   4 the policy's (curve or number), 0 none (demand is hard). */
param curve_source{(b, k) in DEMAND} :=
  if exists{(b, k, j) in BUYER_SEGMENTS} 1 then 1
  else if exists{(b, '*', j) in BUYER_SEGMENTS} 1 then 2
  else if k in PENALIZED or exists{(k, j) in MINERAL_SEGMENTS} 1 then 3
  else if has_policy_shortfall_penalty = 1 or card(POLICY_SEGMENTS) > 0 then 4
  else 0;
/* the segment indices of that curve (a number is the one segment j = 1) */
set CURVE{(b, k) in DEMAND} :=
  if curve_source[b, k] = 1 then setof{(b, k, j) in BUYER_SEGMENTS} j
  else if curve_source[b, k] = 2 then setof{(b, '*', j) in BUYER_SEGMENTS} j
  else if curve_source[b, k] = 3 then
    (if k in PENALIZED then {1} else setof{(k, j) in MINERAL_SEGMENTS} j)
  else if curve_source[b, k] = 4 then
    (if has_policy_shortfall_penalty = 1 then {1} else POLICY_SEGMENTS)
  else {};
/* plan (explain = 0): u_j[b,k] per segment; step 1 (explain = 1): one u[b,k] */
set SEGMENTS dimen 3 := {(b, k) in DEMAND, j in CURVE[b, k]: explain = 0};
set SHORT within DEMAND := {(b, k) in DEMAND: explain = 1};
param segment_up_to{(b, k, j) in SEGMENTS} :=
  if curve_source[b, k] = 1 then buyer_up_to[b, k, j]
  else if curve_source[b, k] = 2 then buyer_up_to[b, '*', j]
  else if curve_source[b, k] = 3 then
    (if k in PENALIZED then 1 else mineral_up_to[k, j])
  else (if has_policy_shortfall_penalty = 1 then 1 else policy_up_to[j]);
param segment_penalty{(b, k, j) in SEGMENTS} :=
  if curve_source[b, k] = 1 then buyer_segment_penalty[b, k, j]
  else if curve_source[b, k] = 2 then buyer_segment_penalty[b, '*', j]
  else if curve_source[b, k] = 3 then
    (if k in PENALIZED then shortfall_penalty[k] else mineral_segment_penalty[k, j])
  else (if has_policy_shortfall_penalty = 1 then policy_shortfall_penalty
        else policy_segment_penalty[j]);
param segment_width{(b, k, j) in SEGMENTS} :=    /* a_j - a_(j-1), a share of demand */
  segment_up_to[b, k, j] - (if j = 1 then 0 else segment_up_to[b, k, j - 1]);

/* exposure cap: mineral key, else "*", else none; the key's form decides
   whether it is hard or soft */
set CAPPED within DEMAND :=
  {(b, k) in DEMAND: (b, k) in EXPOSURE_CAP_KEYS or (b, '*') in EXPOSURE_CAP_KEYS};
param cap{(b, k) in CAPPED} :=
  if (b, k) in EXPOSURE_CAP_KEYS then exposure_cap[b, k] else exposure_cap[b, '*'];
set SOFT within CAPPED :=
  {(b, k) in CAPPED:
     ((b, k) in EXPOSURE_CAP_KEYS and (b, k) in SOFT_CAP_KEYS) or
     ((b, k) not in EXPOSURE_CAP_KEYS and (b, '*') in SOFT_CAP_KEYS)};
param soft_penalty{(b, k) in SOFT} :=
  if (b, k) in EXPOSURE_CAP_KEYS then cap_penalty[b, k] else cap_penalty[b, '*'];
/* rows: every cap in the plan; hard caps only in the explanation steps
   (a soft cap bends for free there) */
set CAP_ROWS within CAPPED := {(b, k) in CAPPED: explain = 0 or (b, k) not in SOFT};

/* capacity in constraints 1, 5 and 10: min(capacity, ratio * H) for a by-product */
param effective_capacity{s in FACILITIES} :=
  if s in BY_PRODUCT then min(capacity[s], host_ratio[s] * host_throughput[s])
  else capacity[s];

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
var us{(b, k, j) in SEGMENTS} >= 0,  /* shortfall on segment j of the curve */
    <= segment_width[b, k, j] * demand[b, k];
var u{SHORT} >= 0;                   /* shortfall in tonnes, explanation step 1 only */
var z{CONTRACTED} binary;            /* facility contracted */
var w{WARCS} binary;                 /* arc r -> b used */
var soft_excess{(b, k) in SOFT: explain = 0} >= 0;    /* exposed tonnes over a soft cap */
var cap_excess{(b, k) in CAP_ROWS: explain = 2} >= 0;  /* explanation step 2 only */

/* ====================================================================== */
/* Constraints                                                            */
/* ====================================================================== */

/* 1. mine capacity (a by-product's effective one) */
s.t. mine_capacity{m in MINES_WITH_ARCS}:
  sum{(m, r) in MR} (fc[m, r] + fx[m, r]) <= effective_capacity[m];

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

/* 5. refinery capacity (per tonne of output; a by-product's effective one) */
s.t. refinery_capacity{r in REFINERIES_WITH_OUT}:
  sum{(r, b) in RB} (qc[r, b] + qx[r, b]) <= effective_capacity[r];

/* 6. demand, exactly: Q + sum_j u_j = D */
s.t. demand_balance{(b, k) in DEMAND}:
  sum{(r, b) in RB: mineral[r] = k} (qc[r, b] + qx[r, b])
  + (if explain = 0 then sum{j in CURVE[b, k]} us[b, k, j] else 0)
  + (if (b, k) in SHORT then u[b, k] else 0)
  = demand[b, k];

/* 7. exposure cap, a share of what is delivered (+ v for a soft cap) */
s.t. exposure_cap_row{(b, k) in CAP_ROWS}:
  sum{(r, b) in RB: mineral[r] = k} qx[r, b]
  <= cap[b, k] * sum{(r, b) in RB: mineral[r] = k} (qc[r, b] + qx[r, b])
     + (if explain = 0 and (b, k) in SOFT then soft_excess[b, k] else 0)
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
  <= effective_capacity[s] * z[s];
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
    + sum{(b, k, j) in SEGMENTS} segment_penalty[b, k, j] * us[b, k, j]
    + sum{(b, k) in SOFT} soft_penalty[b, k] * soft_excess[b, k]
  else if explain = 1 then
      sum{(b, k) in SHORT} u[b, k]
  else
      sum{(b, k) in CAP_ROWS} cap_excess[b, k];

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
  printf "BREAKDOWN shortfall %.12g\n",
    sum{(b, k, j) in SEGMENTS} segment_penalty[b, k, j] * us[b, k, j].val;
  printf "BREAKDOWN cap_excess %.12g\n",
    sum{(b, k) in SOFT} soft_penalty[b, k] * soft_excess[b, k].val;
  printf "FLOOR_LEVY %.12g\n",
    sum{(r, b) in RB} (tariff[r, b] - plain_tariff[r, b]) * (qc[r, b].val + qx[r, b].val);
  printf "FLOOR_PREMIUM %.12g\n",
    sum{(m, r) in MR} (unit_price[m] - price[m]) * (fc[m, r].val + fx[m, r].val)
    + sum{(r, b) in RB} (unit_fee[r] - fee[r]) * (qc[r, b].val + qx[r, b].val);
  printf{(m, r) in MR: fc[m, r].val + fx[m, r].val > eps}
    "FLOW ore %s -> %s clean %.12g exposed %.12g\n", m, r, fc[m, r].val, fx[m, r].val;
  printf{(r, b) in RB: qc[r, b].val + qx[r, b].val > eps}
    "FLOW product %s -> %s clean %.12g exposed %.12g\n", r, b, qc[r, b].val, qx[r, b].val;
  printf{s in CONTRACTED} "CONTRACT %s %.12g\n", s, z[s].val;
  printf{s in BY_PRODUCT}
    "BY_PRODUCT %s capacity %.12g host_limit %.12g effective %.12g\n", s,
    capacity[s], host_ratio[s] * host_throughput[s], effective_capacity[s];
  for{(b, k) in DEMAND} {
    printf "DELIVERY %s %s delivered %.12g shortfall %.12g", b, k,
      delivered[b, k], demand[b, k] - delivered[b, k];
    /* cap_excess in tonnes: max(0, exposed - share * Q) for a soft cap, else 0 */
    printf " shortfall_cost %.12g shortfall_value %.12g cap_excess %.12g",
      sum{j in CURVE[b, k]} segment_penalty[b, k, j] * us[b, k, j].val,
      (demand[b, k] - delivered[b, k]) * reference_price[k],
      if (b, k) in SOFT and exposed[b, k] - cap[b, k] * delivered[b, k] > eps
      then exposed[b, k] - cap[b, k] * delivered[b, k] else 0;
    printf " exposed_share %s\n",
      if delivered[b, k] > eps then (exposed[b, k] / delivered[b, k]) & '' else 'null';
  }
}
for {{0}: explain = 1} {
  printf{(b, k) in DEMAND: u[b, k].val > eps}
    "SHORTFALL %s %s %.12g\n", b, k, u[b, k].val;
}
for {{0}: explain = 2} {
  printf{(b, k) in CAP_ROWS}
    "CAP %s %s cap %.12g needed %.12g excess %.12g\n", b, k, cap[b, k],
    cap[b, k] + (if delivered[b, k] > eps then cap_excess[b, k].val / delivered[b, k] else 0),
    cap_excess[b, k].val;
}
printf "OBJECTIVE %.12g\n", total_cost;

end;
