/* GLPK's public header as Debian's libglpk-dev installs it. */
#include <glpk.h>
