# Writes the small synthetic run directory used by tests/e2e.sh (run inside tests/data/oinfo_plot):
# metrics.csv (train accuracy reaches 1 by step 40, eval accuracy rises around step 150) and
# oinfo.csv with two hidden layers: redundancy falls from the start, synergy rises to a bump after
# step 150; layer 2 has one empty-Ω row (fewer than two live clusters). Noise from seed 1.
import math, random
random.seed(1)
steps = list(range(0, 301, 5))
with open("metrics.csv", "w") as f:
    f.write("step,train_loss,train_acc,eval_loss,eval_acc,weight_norm,seconds\n")
    for i, s in enumerate(steps):
        tr = min(1.0, 0.05 + s / 40); ev = 0.02 + 0.98 / (1 + math.exp(-(s - 150) / 15))
        f.write(f"{s},{1 / (1 + s):.6g},{tr:.4f},{2 / (1 + s):.6g},{ev:.4f},{10 - s / 100:.4f},{0.01 * i:.3f}\n")
with open("oinfo.csv", "w") as f:
    f.write("step,layer,omega_min,omega_max,size_min,size_max,tc_min,dtc_min,n_live,n_dead\n")
    for s in steps:
        for l in (1, 2):
            if l == 2 and s == 100:
                f.write(f"{s},{l},,,0,0,,,1,{31}\n")
                continue
            syn = 0.5 + 2.0 * math.exp(-0.5 * ((s - 200 - 20 * l) / 40) ** 2)
            red = 5.0 * math.exp(-s / 80) + 1.0
            size = 20 + int(10 * math.exp(-0.5 * ((s - 200) / 40) ** 2)) + random.randint(-2, 2)
            f.write(f"{s},{l},{-syn + random.gauss(0, 0.05):.6f},{red + random.gauss(0, 0.05):.6f},{size},32,1,1,32,0\n")
