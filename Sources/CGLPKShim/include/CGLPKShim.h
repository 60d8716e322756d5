/*
 * CGLPKShim: the few GLPK calls that Swift cannot make safely by itself.
 *
 * GLPK reports a fatal error by calling abort(). Every solver, reader and
 * writer call below runs behind glp_error_hook with setjmp/longjmp: when
 * GLPK hits a fatal error the call returns GLPKSHIM_ABORTED instead, after
 * glp_free_env() has destroyed every GLPK object of the calling thread.
 * This is the last line of defence; the Swift layer validates every
 * argument before it reaches GLPK. (docs/GLPK.md, "Error hook".)
 *
 * The thread's "generation" counts those environment resets, so that the
 * Swift side can tell that a problem handle created earlier is gone.
 */
#ifndef CGLPKSHIM_H
#define CGLPKSHIM_H

#include <glpk.h>

/** Returned by a guarded call when GLPK hit a fatal error. */
#define GLPKSHIM_ABORTED (-1000)

/** Why the branch-and-cut callback stopped the search. */
enum {
    GLPKSHIM_STOP_NONE = 0,
    GLPKSHIM_STOP_TIME = 1,
    GLPKSHIM_STOP_NODES = 2,
    GLPKSHIM_STOP_GAP = 3,
    GLPKSHIM_STOP_RACE = 4        /* the race the search is part of ended */
};

/** Events a racing search reports to its race (glpkshim_race_hook). */
enum {
    GLPKSHIM_RACE_FOUND = 1,      /* x[1..n] holds the search's new incumbent */
    GLPKSHIM_RACE_POLL = 2,       /* any callback: may answer STOP */
    GLPKSHIM_RACE_HEUR = 3        /* heuristic point: may fill x[1..n] and answer OFFER */
};

/** Answers of a race hook. */
enum {
    GLPKSHIM_RACE_NONE = 0,
    GLPKSHIM_RACE_OFFER = 1,      /* x[1..n] holds a better solution: hand it to the search */
    GLPKSHIM_RACE_STOP = 2,       /* stop the search at the race's gap */
    GLPKSHIM_RACE_ENDED = 3       /* stop the search: the race ended elsewhere */
};

/** Connects one branch-and-cut search to others solving the same problem:
 *  `event` is a GLPKSHIM_RACE_* event; `has_incumbent` and `incumbent` the
 *  search's own best objective, `bound` its best bound (has_bound: known);
 *  `x` a buffer of n + 1 doubles (1-based). Called from the callback. */
typedef int (*glpkshim_race_hook)(void *context, int event, int has_incumbent, double incumbent, int has_bound,
                                  double bound, double *x, int n);

/** The absolute gap a search may stop at, given its incumbent's objective;
 *  negative: none yet. Called from the branch-and-cut callback. */
typedef double (*glpkshim_gap_allowance)(void *context, double incumbent, double bound);

/** Called from every branch-and-cut callback; may block the search's
 *  thread while other searches run (the threads shared between the blocks
 *  of a decomposed MIP). */
typedef void (*glpkshim_pause_hook)(void *context);

/** Limits checked by the branch-and-cut callback (wall clock, nodes). */
typedef struct {
    double time_limit;            /* seconds since `start`; <= 0: none */
    double start;                 /* glpkshim_now() when the solve began */
    long long node_limit;         /* nodes generated; < 0: none */
    int stopped;                  /* out: a GLPKSHIM_STOP_* value */
    long long nodes;              /* out: nodes generated so far */
    int has_bound;                /* out: whether best_bound was seen */
    double best_bound;            /* out: best local bound of the active nodes at the last callback */
    const double *incumbent;      /* a checked solution, 1-based (incumbent[1..n]); NULL: none */
    double incumbent_after;       /* offered this many seconds after `start` (kept only if
                                     better than the search's own incumbent) */
    int incumbent_given;          /* out: it was handed to glp_ios_heur_sol */
    int incumbent_accepted;       /* out: and glp_ios_heur_sol took it */
    glpkshim_gap_allowance allowance; /* NULL: none; else stop once |incumbent - bound| <= allowance(...) */
    void *allowance_context;      /* passed to `allowance` */
    glpkshim_race_hook race;      /* NULL: the search races nobody */
    void *race_context;           /* passed to `race` */
    double *race_buffer;          /* n + 1 doubles for the race's exchanges */
    glpkshim_pause_hook pause;    /* NULL: the search never gives way */
    void *pause_context;          /* passed to `pause` */
} glpkshim_mip_control;

/** Monotonic clock in seconds. */
double glpkshim_now(void);

/** How many times this thread's GLPK environment has been freed. */
unsigned long glpkshim_generation(void);

/** glp_free_env() and a new generation. Destroys every problem of the thread. */
void glpkshim_free_env(void);

/** Counts a live GLPK object on this thread. */
void glpkshim_retain_env(void);

/** Uncounts one; the last one frees the thread's environment (no leak when
 *  the thread later exits, docs/GLPK.md "Threads"). */
void glpkshim_release_env(void);

int glpkshim_simplex(glp_prob *P, const glp_smcp *parm);
int glpkshim_exact(glp_prob *P, const glp_smcp *parm);
int glpkshim_interior(glp_prob *P, const glp_iptcp *parm);
/* glp_intopt with the callback that enforces `control` (may be NULL). */
int glpkshim_intopt(glp_prob *P, glp_iocp *parm, glpkshim_mip_control *control);
int glpkshim_scale_prob(glp_prob *P, int flags);
int glpkshim_adv_basis(glp_prob *P);
int glpkshim_std_basis(glp_prob *P);
int glpkshim_cpx_basis(glp_prob *P);
int glpkshim_factorize(glp_prob *P);
int glpkshim_analyze_bound(glp_prob *P, int k, double *value1, int *var1,
                           double *value2, int *var2);
int glpkshim_analyze_coef(glp_prob *P, int k, double *coef1, int *var1,
                          double *value1, double *coef2, int *var2,
                          double *value2);
int glpkshim_check_kkt(glp_prob *P, int sol, int cond, double *ae_max,
                       int *ae_ind, double *re_max, int *re_ind);
int glpkshim_load_matrix(glp_prob *P, int ne, const int ia[], const int ja[],
                         const double ar[]);

int glpkshim_read_mps(glp_prob *P, int fmt, const char *fname);
int glpkshim_write_mps(glp_prob *P, int fmt, const char *fname);
int glpkshim_read_lp(glp_prob *P, const char *fname);
int glpkshim_write_lp(glp_prob *P, const char *fname);
int glpkshim_read_prob(glp_prob *P, const char *fname);
int glpkshim_write_prob(glp_prob *P, const char *fname);

int glpkshim_mpl_read_model(glp_tran *tran, const char *fname, int skip);
int glpkshim_mpl_read_data(glp_tran *tran, const char *fname);
int glpkshim_mpl_generate(glp_tran *tran, const char *fname);
int glpkshim_mpl_build_prob(glp_tran *tran, glp_prob *P);
int glpkshim_mpl_postsolve(glp_tran *tran, glp_prob *P, int sol);

/* Names the calling thread (Linux: at most 15 bytes; longer names are cut),
   for debuggers and `top -H`; not part of GLPK. */
void glpkshim_name_thread(const char *name);

#endif
