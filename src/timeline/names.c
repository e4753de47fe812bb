/* names.c: the name tables behind names.h, expanded from the same lists. */
#include <stddef.h>

#include "timeline/names.h"

#define PW_NAME_ENTRY(prefix, id, name) [prefix##id] = name,
#define PW_CTX_NAME(id, name) PW_NAME_ENTRY(PW_CTX_, id, name)
#define PW_LAYER_NAME(id, name) PW_NAME_ENTRY(PW_LAYER_, id, name)
#define PW_OP_NAME(id, name) PW_NAME_ENTRY(PW_OP_, id, name)
#define PW_TP_NAME(id, name) PW_NAME_ENTRY(PW_TP_, id, name)
#define PW_DROP_NAME(id, name) PW_NAME_ENTRY(PW_DROP_, id, name)
#define PW_Q_NAME(id, name) PW_NAME_ENTRY(PW_Q_, id, name)
#define PW_TCP_NAME(id, name) PW_NAME_ENTRY(PW_TCP_, id, name)

const char *const pw_ctx_names[PW_CTX_COUNT] = { PW_CTX_LIST(PW_CTX_NAME) };
const char *const pw_layer_names[PW_LAYER_COUNT] = { PW_LAYER_LIST(PW_LAYER_NAME) };
const char *const pw_op_names[PW_OP_COUNT] = { PW_OP_LIST(PW_OP_NAME) };
const char *const pw_tp_names[PW_TP_COUNT] = { PW_TP_LIST(PW_TP_NAME) };
const char *const pw_drop_names[PW_DROP_COUNT] = { PW_DROP_LIST(PW_DROP_NAME) };
const char *const pw_queue_names[PW_Q_COUNT] = { PW_Q_LIST(PW_Q_NAME) };
const char *const pw_tcp_state_names[PW_TCP_STATE_COUNT] = { PW_TCP_STATE_LIST(PW_TCP_NAME) };
