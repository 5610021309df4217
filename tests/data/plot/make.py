# Writes the small synthetic run directory used by tests/e2e.sh (run inside tests/data/plot):
# metrics.csv with the default network's columns and mi.csv shaped like the phases
# (both MI fall, both rise, plateau, I(X;L) falls), on a short uneven grid, noise from seed 1.
import math, random
random.seed(1)
steps = list(range(10)) + list(range(1000, 30001, 1000))
cols = ("step,train_loss,train_acc,eval_loss,eval_acc,weight_norm,weight_norm_l1,weight_norm_l2,weight_norm_l3,"
        "grad_norm_l1,grad_norm_l2,grad_norm_l3,train_logits_mean,train_logits_var,eval_logits_mean,eval_logits_var,"
        "dead_train_l1,dead_train_l2,dead_eval_l1,dead_eval_l2,seconds")
with open("metrics.csv", "w") as f:
    f.write(cols + "\n")
    for i, s in enumerate(steps):
        tr = min(1.0, 0.1 + s / 2000); ev = 0.1 + 0.8 / (1 + math.exp(-(s - 12000) / 2000))
        w = 94 - s / 1000
        f.write(f"{s},{1000 / (1 + s):.6g},{tr:.4f},{1000 / (1 + s) + 0.5:.6g},{ev:.4f},{w:.4f},{0.7 * w:.4f},{0.7 * w:.4f},"
                f"{0.16 * w:.4f},{100 / (1 + s):.6g},{80 / (1 + s):.6g},{90 / (1 + s):.6g},0,{1.0 / (1 + s):.6g},0,"
                f"{1.1 / (1 + s):.6g},{s // 3000},{s // 2000},{s // 4000},{s // 2500},{0.01 * i:.3f}\n")
with open("mi.csv", "w") as f:
    f.write("step,subset,layer,ixl,ixl_err,ily,ily_err,estimator,dx,dl\n")
    for i, s in enumerate(steps):
        for subset in ("train", "eval"):
            for l in (1, 2, 3):
                top = 6.5 - l
                if i <= 12:   # falls until step 3000
                    x, y = top - i / 12, 1.5 - 0.4 * i / 12
                elif s <= 12000:
                    x, y = top - 1 + (s - 3000) / 9000, 1.1 + 0.8 * (s - 3000) / 9000
                elif s <= 20000:
                    x, y = top, 1.9
                else:
                    x, y = top - (s - 20000) / 10000, 1.9
                f.write(f"{s},{subset},{l},{x + random.gauss(0, 0.01):.5f},0.01,{y + random.gauss(0, 0.005):.5f},0.005,ksg,784,200\n")
