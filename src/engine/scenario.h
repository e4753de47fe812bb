/* scenario.h: looking up the built-in scenarios (private to the engine and
 * the command line). */
#ifndef PW_ENGINE_SCENARIO_H
#define PW_ENGINE_SCENARIO_H

#include "engine/engine.h"

/* The scenario called name, or NULL. */
const struct pw_scenario_info *pw_scenario_find(const char *name);

#endif
