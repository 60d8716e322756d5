/* The benchmark launcher of scripts/bench-suite and scripts/bench-choices.
 *
 * Usage: bench-run REPORT COMMAND [ARG...]
 *
 * Runs COMMAND (fork and execvp), waits for it, and writes to REPORT one line
 * "SECONDS MAXRSS_KB" (wall clock from just before the fork to the end of
 * the wait, from CLOCK_MONOTONIC; the largest resident set of the command
 * or of any process it waited for, from wait4's rusage). Exits with the
 * command's exit code, or 128 + its signal.
 *
 * It replaces `/usr/bin/time -f %M` run from Python: that pair added the
 * start of a second program and Python's own fork to every measured run
 * (about 1-7 ms), which is noise for glpsol but a large share of a 30 ms
 * planner run. Being a small C program, its forked child's resident set
 * before exec stays far below any command's, so the peak is the command's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench-run REPORT COMMAND [ARG...]\n");
        return 64;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t child = fork();
    if (child < 0) { perror("bench-run: fork"); return 70; }
    if (child == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "bench-run: cannot run %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage usage;
    while (wait4(child, &status, 0, &usage) < 0) {
        if (errno != EINTR) { perror("bench-run: wait4"); return 70; }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) * 1e-9;
    FILE *report = fopen(argv[1], "w");
    if (report) {
        fprintf(report, "%.6f %ld\n", seconds, usage.ru_maxrss);
        fclose(report);
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 70;
}
