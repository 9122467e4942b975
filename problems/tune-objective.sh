#!/bin/sh
# A small deterministic objective for `anneal tune problems/tune-quadratic.yaml`:
# a quadratic in x and y with an interaction, shifted by the categorical `act`
# and the boolean `norm`. Prints one JSON object with the loss on stdout.
# Minimum: loss 0 at x = 0.2, y = 12, act = tanh, norm = true.
x=$1 y=$2 act=$3 norm=$4
awk -v x="$x" -v y="$y" -v act="$act" -v norm="$norm" 'BEGIN {
  a = (act == "tanh") ? 0 : (act == "relu" ? 0.4 : 1.0)
  n = (norm == "true") ? 0 : 0.25
  dx = x - 0.2; dy = (y - 12) / 10
  loss = dx * dx + dy * dy + 0.5 * dx * dy + a + n * (1 + dx)
  printf "epoch 1 loss: 9.9\n{\"loss\": %.6f, \"x\": %s}\n", loss, x
}'
