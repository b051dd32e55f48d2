/* JSON output pieces shared by report.json, compare.json and wcrt's JSON. */
#ifndef HV_ANALYSIS_JSON_H
#define HV_ANALYSIS_JSON_H

#include <stdio.h>

/*
 * json_put_string() - @s as a JSON string, quotes included: '"' and '\'
 * escaped, control bytes as \u00XX, other bytes (UTF-8) as they are.
 */
void json_put_string(FILE *out, const char *s);

#endif /* HV_ANALYSIS_JSON_H */
