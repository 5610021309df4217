/* grokinfo — train, measure and plot grokking. A thin layer over the library. */
#include <cblas.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

static void usage(FILE *f) {
    fprintf(f,
            "usage: grokinfo COMMAND [options]\n"
            "\n"
            "commands:\n"
            "  train [--config FILE] [key.sub=value ...] [--out DIR] [--quiet]\n"
            "        train the configured MLP; writes DIR (default runs/NAME): config.yaml, metrics.csv,\n"
            "        summary.json, ckpt/\n"
            "  train --resume RUN_DIR [train.optimization_steps=N] [train.threads=N]\n"
            "        continue a killed or finished run from RUN_DIR/ckpt/latest.bin\n"
            "  mi --x X.npy --y Y.npy [--estimator ksg|kl|wkl|kde|gauss|gcmi] [--k K] [--discrete-y] [--json]\n"
            "        mutual information between two arrays (.npy or CSV), in nats, with its error\n"
            "  infoplane RUN_DIR [mi.estimator=ksg mi.k=5 ...]\n"
            "        the information plane of a run again, from its per-evaluation checkpoints, into\n"
            "        RUN_DIR/mi-<estimator>.csv (never overwriting)\n"
            "  oinfo RUN_DIR [oinfo.clusters=10 ...]\n"
            "        the O-information of a run's hidden layers from its checkpoints into RUN_DIR/oinfo.csv\n"
            "        (or oinfo-2.csv, ...)\n"
            "  sweep SWEEP.yaml [--out DIR] [-j N] [--shard i/n]   (or: mpirun -np N grokinfo sweep ...)\n"
            "        a grid of runs (base overrides x axes of values); finished points are skipped,\n"
            "        interrupted ones resumed\n"
            "  acts RUN_DIR --step S --layer L [--subset train|eval] --out A.npy\n"
            "        a layer's outputs at a checkpointed step, as evaluated in training, as float32 .npy\n"
            "  oinfo-npy --acts A.npy [--clusters K] [--greedy-max M] [--bias-correct] [--labels OUT] [--json]\n"
            "        O-information of one activation array (samples x neurons): synergy and redundancy over\n"
            "        the unions of its Ward clusters of neurons\n"
            "  plot RUN_DIR [--mi FILE] [--estimator NAME]\n"
            "        print the information-plane phases and draw RUN_DIR/figures/ (infoplane, accuracy,\n"
            "        training; .png and .pdf) with gnuplot; MI from FILE (default RUN_DIR/mi.csv) if present\n"
            "  compare DIR... [--out OUT_DIR] [--runs NAME,NAME]\n"
            "        runs side by side: each DIR a run directory or a sweep's folder of them; prints and writes\n"
            "        OUT_DIR/compare.csv (swept keys and summaries), compare_seeds.csv (mean, std, n over seeds)\n"
            "        and OUT_DIR/figures/; OUT_DIR defaults to the first DIR if a sweep folder, else .\n"
            "\n"
            "The defaults are the seed's (configs/default.yaml): Omnigrok MNIST, 784-200-200-10 ReLU,\n"
            "init scale 8, AdamW lr 1e-3 wd 1e-2, MSE, batch 200, 1000 training points, 100k steps.\n");
}

int main(int argc, char **argv) {
    /* grokinfo's parallelism is its own (OpenMP); OpenBLAS's pool would compete for the cores */
    openblas_set_num_threads(1);
#ifdef __GLIBC__
    /* Large buffers from the heap, kept when freed: the next ones reuse pages already faulted in
     * instead of a fresh mmap each (page faults were a visible share of a KSG estimate at 1e4). */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "train") == 0) return cmd_train(argc - 2, argv + 2);
    if (strcmp(argv[1], "mi") == 0) return cmd_mi(argc - 2, argv + 2);
    if (strcmp(argv[1], "infoplane") == 0) return cmd_infoplane(argc - 2, argv + 2);
    if (strcmp(argv[1], "oinfo") == 0) return cmd_oinfo(argc - 2, argv + 2);
    if (strcmp(argv[1], "acts") == 0) return cmd_acts(argc - 2, argv + 2);
    if (strcmp(argv[1], "sweep") == 0) return cmd_sweep(argc - 2, argv + 2);
    if (strcmp(argv[1], "oinfo-npy") == 0) return cmd_oinfo_npy(argc - 2, argv + 2);
    if (strcmp(argv[1], "plot") == 0) return cmd_plot(argc - 2, argv + 2);
    if (strcmp(argv[1], "compare") == 0) return cmd_compare(argc - 2, argv + 2);
    fprintf(stderr, "grokinfo: unknown command '%s' (try: grokinfo --help)\n", argv[1]);
    return 2;
}
