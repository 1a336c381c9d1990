; in: a port read by the kernel, `in r0, 0x3fd` (N times).
        .include "kernel.s"
NAME:   .asciz "in: "

bench:  mov     r4, N
loop:   in      r0, 0x3fd
        sub     r4, 1
        jnz     loop
        jmp     report
