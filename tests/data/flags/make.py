# Makes the flag tests' inputs (python3, standard library only): a collapsed label layer whose
# within-class spread is anisotropic in the pooled coordinates (0.1, 0.1, 1e-3, 1e-3), 10 classes
# of 100 points in 4 dimensions. True I(L;Y) = H(Y) = ln 10; the seed's wkl gives about 6.
#   cd tests/data/flags && python3 make.py
import random, struct

def npy(path, descr, shape, values, fmt):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    header += ' ' * (63 - (10 + len(header)) % 64) + '\n'
    with open(path, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode('latin1'))
        f.write(struct.pack('<%d%s' % (len(values), fmt), *values))

rng = random.Random(20261206)
centres = [[rng.gauss(0, 1) for _ in range(4)] for _ in range(10)]
spread = (0.1, 0.1, 1e-3, 1e-3)
layer, labels = [], []
for c in range(10):
    for _ in range(100):
        layer += [centres[c][a] + spread[a] * rng.gauss(0, 1) for a in range(4)]
        labels.append(c)
npy('aniso_l.npy', '<f8', '(1000, 4)', layer, 'd')
npy('aniso_y.npy', '<i8', '(1000,)', labels, 'q')
