#!/bin/sh
# Remakes the screenshots README shows, with the project's own renderer
# (no display needed). Run from the project root after building:
#   sh docs/screenshots/make.sh [path/to/packetwalk]
set -e
pw=${1:-build/packetwalk}
out=docs/screenshots
# The sender's neigh_hh_output pushing the Ethernet header (tcp step 15).
"$pw" render -s tcp --step 15 --size 1920x1080 -o "$out/tcp-push.png"
# The receiver's NIC writing the SYN into the RX ring, in projection mode.
"$pw" render -s tcp --step 28 --size 1920x1080 --projection -o "$out/dma-projection.png"
# pfifo_fast dropping a datagram: the band is full (burst step 386).
"$pw" render -s burst --step 386 --size 1920x1080 -o "$out/burst-qdisc-drop.png"
# Lesson 1, stop 2 (skb_reserve), its checkpoint open, as a student's
# 1280x720 window and a projector's 1920x1080 in projection mode.
"$pw" render --lesson lessons/01-skb-anatomy.json --lesson-step 2 --size 1280x720 -o "$out/lesson-checkpoint.png"
"$pw" render --lesson lessons/01-skb-anatomy.json --lesson-step 2 --answer 1 --size 1920x1080 --projection \
	-o "$out/lesson-checkpoint-projection.png"
