#define _GNU_SOURCE
#include "CGLPKShim.h"

#include <setjmp.h>
#include <stddef.h>
#include <time.h>

static _Thread_local unsigned long generation = 0;

double glpkshim_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

unsigned long glpkshim_generation(void) { return generation; }

void glpkshim_free_env(void) {
    glp_free_env();
    generation++;
}

static _Thread_local long live_objects = 0;

void glpkshim_retain_env(void) { live_objects++; }

void glpkshim_release_env(void) {
    if (live_objects > 0) live_objects--;
    if (live_objects == 0) glpkshim_free_env();
}

static void on_fatal_error(void *info) {
    jmp_buf *target = (jmp_buf *)info;
    longjmp(*target, 1);
}

/* Runs `call` with the error hook installed; a fatal error inside it frees
 * the environment (as the GLPK manual requires) and yields GLPKSHIM_ABORTED. */
#define GUARDED(call)                                   \
    do {                                                \
        jmp_buf target;                                 \
        volatile int result = 0;                        \
        if (setjmp(target)) {                           \
            glp_error_hook(NULL, NULL);                 \
            glpkshim_free_env();                        \
            return GLPKSHIM_ABORTED;                    \
        }                                               \
        glp_error_hook(on_fatal_error, &target);        \
        result = (call);                                \
        glp_error_hook(NULL, NULL);                     \
        return result;                                  \
    } while (0)

int glpkshim_simplex(glp_prob *P, const glp_smcp *parm) { GUARDED(glp_simplex(P, parm)); }
int glpkshim_exact(glp_prob *P, const glp_smcp *parm) { GUARDED(glp_exact(P, parm)); }
int glpkshim_interior(glp_prob *P, const glp_iptcp *parm) { GUARDED(glp_interior(P, parm)); }

static void mip_callback(glp_tree *T, void *info) {
    glpkshim_mip_control *c = (glpkshim_mip_control *)info;
    int a_cnt = 0, n_cnt = 0, t_cnt = 0;
    glp_ios_tree_size(T, &a_cnt, &n_cnt, &t_cnt);
    c->nodes = t_cnt;
    int best = glp_ios_best_node(T);
    if (best != 0) {
        c->best_bound = glp_ios_node_bound(T, best);
        c->has_bound = 1;
    }
    if (c->incumbent != NULL && !c->incumbent_given && glp_ios_reason(T) == GLP_IHEUR
        && glpkshim_now() - c->start >= c->incumbent_after) {
        /* The caller's solution, checked by it (glp_ios_heur_sol checks
           integrality, not rows or bounds), once its time has come;
           glp_ios_heur_sol keeps it only if it is better than the
           search's own incumbent. */
        c->incumbent_given = 1;
        c->incumbent_accepted = glp_ios_heur_sol(T, c->incumbent) == 0;
    }
    if (c->stopped != GLPKSHIM_STOP_NONE) return;
    /* The thread may wait here while other blocks' searches run. */
    if (c->pause != NULL) c->pause(c->pause_context);
    if (c->race != NULL) {
        /* A search racing others on the same problem (the MIP presolver is
           off, so the callback's problem has the caller's columns): it
           publishes each new incumbent, takes a better one found elsewhere
           at a heuristic point, and stops when the race says so. */
        glp_prob *P = glp_ios_get_prob(T);
        int n = glp_get_num_cols(P);
        int reason = glp_ios_reason(T);
        int feasible = glp_mip_status(P) == GLP_FEAS;
        double own = feasible ? glp_mip_obj_val(P) : 0.0;
        if (reason == GLP_IBINGO && feasible) {
            for (int j = 1; j <= n; j++) c->race_buffer[j] = glp_mip_col_val(P, j);
            c->race(c->race_context, GLPKSHIM_RACE_FOUND, 1, own, c->has_bound, c->best_bound, c->race_buffer, n);
        }
        int event = reason == GLP_IHEUR ? GLPKSHIM_RACE_HEUR : GLPKSHIM_RACE_POLL;
        int answer = c->race(c->race_context, event, feasible, own, c->has_bound, c->best_bound, c->race_buffer, n);
        if (answer == GLPKSHIM_RACE_OFFER && reason == GLP_IHEUR) {
            glp_ios_heur_sol(T, c->race_buffer); /* refused when not better: nothing to do */
        } else if (answer == GLPKSHIM_RACE_STOP) {
            c->stopped = GLPKSHIM_STOP_GAP;
        } else if (answer == GLPKSHIM_RACE_ENDED) {
            c->stopped = GLPKSHIM_STOP_RACE;
        }
    }
    if (c->stopped == GLPKSHIM_STOP_NONE && c->allowance != NULL && c->has_bound && glp_mip_status(glp_ios_get_prob(T)) == GLP_FEAS) {
        /* A gap allowed by the caller (the whole model's gap, when the
           other blocks of a decomposed model are solved). */
        double incumbent = glp_mip_obj_val(glp_ios_get_prob(T));
        double allowed = c->allowance(c->allowance_context, incumbent, c->best_bound);
        double gap = incumbent - c->best_bound;
        if (gap < 0) gap = -gap;
        if (allowed >= 0 && gap <= allowed) c->stopped = GLPKSHIM_STOP_GAP;
    }
    if (c->stopped != GLPKSHIM_STOP_NONE) {
        /* stopped by the allowance */
    } else if (c->node_limit >= 0 && t_cnt > c->node_limit) {
        c->stopped = GLPKSHIM_STOP_NODES;
    } else if (c->time_limit > 0 && glpkshim_now() - c->start > c->time_limit) {
        c->stopped = GLPKSHIM_STOP_TIME;
    }
    if (c->stopped != GLPKSHIM_STOP_NONE) glp_ios_terminate(T);
}

static int intopt_with_control(glp_prob *P, glp_iocp *parm, glpkshim_mip_control *control) {
    if (control != NULL) {
        parm->cb_func = mip_callback;
        parm->cb_info = control;
    }
    return glp_intopt(P, parm);
}

int glpkshim_intopt(glp_prob *P, glp_iocp *parm, glpkshim_mip_control *control) {
    GUARDED(intopt_with_control(P, parm, control));
}

static int scale(glp_prob *P, int flags) { glp_scale_prob(P, flags); return 0; }
static int adv_basis(glp_prob *P) { glp_adv_basis(P, 0); return 0; }
static int std_basis(glp_prob *P) { glp_std_basis(P); return 0; }
static int cpx_basis(glp_prob *P) { glp_cpx_basis(P); return 0; }
static int load_matrix(glp_prob *P, int ne, const int ia[], const int ja[], const double ar[]) {
    glp_load_matrix(P, ne, ia, ja, ar);
    return 0;
}
static int analyze_bound(glp_prob *P, int k, double *v1, int *x1, double *v2, int *x2) {
    glp_analyze_bound(P, k, v1, x1, v2, x2);
    return 0;
}
static int analyze_coef(glp_prob *P, int k, double *c1, int *x1, double *v1,
                        double *c2, int *x2, double *v2) {
    glp_analyze_coef(P, k, c1, x1, v1, c2, x2, v2);
    return 0;
}
static int check_kkt(glp_prob *P, int sol, int cond, double *ae_max, int *ae_ind,
                     double *re_max, int *re_ind) {
    glp_check_kkt(P, sol, cond, ae_max, ae_ind, re_max, re_ind);
    return 0;
}

int glpkshim_scale_prob(glp_prob *P, int flags) { GUARDED(scale(P, flags)); }
int glpkshim_adv_basis(glp_prob *P) { GUARDED(adv_basis(P)); }
int glpkshim_std_basis(glp_prob *P) { GUARDED(std_basis(P)); }
int glpkshim_cpx_basis(glp_prob *P) { GUARDED(cpx_basis(P)); }
int glpkshim_factorize(glp_prob *P) { GUARDED(glp_factorize(P)); }
int glpkshim_analyze_bound(glp_prob *P, int k, double *value1, int *var1,
                           double *value2, int *var2) {
    GUARDED(analyze_bound(P, k, value1, var1, value2, var2));
}
int glpkshim_analyze_coef(glp_prob *P, int k, double *coef1, int *var1,
                          double *value1, double *coef2, int *var2,
                          double *value2) {
    GUARDED(analyze_coef(P, k, coef1, var1, value1, coef2, var2, value2));
}
int glpkshim_check_kkt(glp_prob *P, int sol, int cond, double *ae_max,
                       int *ae_ind, double *re_max, int *re_ind) {
    GUARDED(check_kkt(P, sol, cond, ae_max, ae_ind, re_max, re_ind));
}
int glpkshim_load_matrix(glp_prob *P, int ne, const int ia[], const int ja[],
                         const double ar[]) {
    GUARDED(load_matrix(P, ne, ia, ja, ar));
}

int glpkshim_read_mps(glp_prob *P, int fmt, const char *fname) { GUARDED(glp_read_mps(P, fmt, NULL, fname)); }
int glpkshim_write_mps(glp_prob *P, int fmt, const char *fname) { GUARDED(glp_write_mps(P, fmt, NULL, fname)); }
int glpkshim_read_lp(glp_prob *P, const char *fname) { GUARDED(glp_read_lp(P, NULL, fname)); }
int glpkshim_write_lp(glp_prob *P, const char *fname) { GUARDED(glp_write_lp(P, NULL, fname)); }
int glpkshim_read_prob(glp_prob *P, const char *fname) { GUARDED(glp_read_prob(P, 0, fname)); }
int glpkshim_write_prob(glp_prob *P, const char *fname) { GUARDED(glp_write_prob(P, 0, fname)); }

int glpkshim_mpl_read_model(glp_tran *tran, const char *fname, int skip) { GUARDED(glp_mpl_read_model(tran, fname, skip)); }
int glpkshim_mpl_read_data(glp_tran *tran, const char *fname) { GUARDED(glp_mpl_read_data(tran, fname)); }
int glpkshim_mpl_generate(glp_tran *tran, const char *fname) { GUARDED(glp_mpl_generate(tran, fname)); }
static int build_prob(glp_tran *tran, glp_prob *P) { glp_mpl_build_prob(tran, P); return 0; }
int glpkshim_mpl_build_prob(glp_tran *tran, glp_prob *P) { GUARDED(build_prob(tran, P)); }
int glpkshim_mpl_postsolve(glp_tran *tran, glp_prob *P, int sol) { GUARDED(glp_mpl_postsolve(tran, P, sol)); }

#include <pthread.h>
#include <string.h>

void glpkshim_name_thread(const char *name) {
    char cut[16];
    strncpy(cut, name, sizeof cut - 1);
    cut[sizeof cut - 1] = '\0';
    pthread_setname_np(pthread_self(), cut);
}
