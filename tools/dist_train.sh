#!/usr/bin/env bash
# Multi-process training with torch.distributed.
#   bash tools/dist_train.sh CONFIG NUM_PROCS [train.py options]
# On GPUs each process takes one GPU (NCCL). Without a GPU the processes
# run on the CPU with gloo (tools/train.py switches nccl -> gloo itself);
# BACKEND=gloo|nccl forces a backend. PORT sets the rendezvous port
# (default 29500; give a free one when several runs share a machine).
CONFIG=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
BACKEND_OPTION=()
if [ -n "${BACKEND}" ]; then
    BACKEND_OPTION=(--cfg-options "env_cfg.dist_cfg.backend=${BACKEND}")
fi

PYTHONPATH="$(dirname $0)/..":$PYTHONPATH \
python -m torch.distributed.run \
    --nnodes=$NNODES \
    --node_rank=$NODE_RANK \
    --master_addr=$MASTER_ADDR \
    --nproc_per_node=$GPUS \
    --master_port=$PORT \
    $(dirname "$0")/train.py \
    $CONFIG \
    --launcher pytorch "${BACKEND_OPTION[@]}" "${@:3}"
