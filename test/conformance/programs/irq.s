; irq: interrupts around cli/sti/popf/hlt, the timer reprogrammed inside its handler,
; user code entered by iret with odd flag values, int/iret round trips, a fault inside a
; fault handler (#DF), the kernel reading its own IDT and control registers, lidt to a
; second table mid-run, and port I/O to every device.
        .entry  start
        .equ    CONSOLE, 0x3f8
        .equ    EXIT, 0xf4
        .equ    IDT, 0x8000
        .equ    IDT2, 0x9000
        .equ    KSTACK, 0x70000
        .equ    USTACK, 0x60000
        .equ    LOG, 0x50000             ; r4 indexes a log of what the handlers saw
start:  mov     sp, KSTACK
        mov     r0, KSTACK
        wrmsr   0, r0
        mov     r4, LOG
        ; every vector: the generic handler, DPL 3
        mov     r0, 0
gates:  mov     r1, r0
        shl     r1, 3
        add     r1, IDT
        mov     r2, generic
        st      [r1], r2
        mov     r2, 7
        st      [r1+4], r2
        add     r0, 1
        cmp     r0, 256
        jb      gates
        mov     r1, timer
        st      [IDT + 32*8], r1
        mov     r1, disk
        st      [IDT + 46*8], r1
        mov     r1, df
        st      [IDT + 8*8], r1
        mov     r1, gp
        st      [IDT + 13*8], r1
        mov     r1, sys
        st      [IDT + 0x80*8], r1
        mov     r0, idtr
        lidt    [r0]
        ; read back the IDT descriptor and a gate, and the control registers
        sidt    [LOG]
        ld      r1, [LOG]
        call    mix
        ld      r1, [LOG+4]
        call    mix
        ld      r1, [IDT + 32*8]
        call    mix
        mov     r1, cr0
        call    mix
        mov     r1, cr4
        call    mix
        smsw    r1
        call    mix
        mov     r1, cs
        call    mix
        pushf
        pop     r1
        call    mix

        ; 1. timer with period 7 while a loop toggles IF by cli/sti and popf
        mov     r0, 0
        out     0x21, r0
        mov     r0, 7
        out     0x40, r0
        mov     r5, 0
loop1:  sti
        add     r5, 1
        cli
        add     r5, 2
        push    0x200
        popf
        add     r5, 3
        push    0x0
        popf
        add     r5, 1
        cmp     r5, 200
        jb      loop1
        ld      r1, [ticks]
        call    mix

        ; 2. sti; hlt until the handler (which lengthens the period each tick) has run 5 times
        mov     r0, 0
        st      [ticks], r0
wait:   sti
        hlt
        cli
        ld      r1, [ticks]
        cmp     r1, 5
        jb      wait
        call    mix
        ; hlt right after popf sets IF
        push    0x200
        popf
        hlt
        cli
        ld      r1, [ticks]
        call    mix
        mov     r0, 0
        out     0x40, r0

        ; 3. user code via iret with odd flags: IOPL 3, IF, CF, reserved bits
        mov     r0, user
        push    USTACK
        push    0x3a01 | 0x200
        push    3
        push    r0
        iret
back:   ; the sys handler resumes here at CPL 0 with r1 = what user code saw
        call    mix

        ; 4. a #GP inside the #GP handler: the second one is a #DF, whose handler recovers
        mov     r0, 1
        st      [nested], r0
        mov     r1, cr3
        mov     r0, 0
        mov     cr3, r0
        int     0x33             ; the generic handler (DPL 3, present): fine
        ; now a privileged fault at CPL 3 with the GP handler faulting again
        mov     r0, user2
        push    USTACK
        push    0
        push    3
        push    r0
        iret
back2:  ld      r1, [dfseen]
        call    mix
        ld      r1, [gpseen]
        call    mix

        ; 5. a second IDT, loaded mid-run, whose gate for 0x80 differs; then back
        mov     r0, 0
idt2:   ld      r1, [r0 + IDT]
        mov     r2, r0
        add     r2, IDT2
        st      [r2], r1
        add     r0, 4
        cmp     r0, 256*8
        jb      idt2
        mov     r1, sys2
        st      [IDT2 + 0x80*8], r1
        mov     r0, idtr2
        lidt    [r0]
        int     0x80
        call    mix
        mov     r0, idtr
        lidt    [r0]
        int     0x33
        call    mix

        ; 6. port bursts: console status, PIC, timer, disk write then read back with IRQ 14
        in      r1, 0x3fd
        call    mix
        in      r1, 0x21
        call    mix
        in      r1, 0x20
        call    mix
        mov     r0, 1234
        out     0x40, r0
        in      r1, 0x40
        call    mix
        mov     r0, 0
        out     0x40, r0
        in      r1, 0x1234
        call    mix
        mov     r0, 2
        out     0x1f2, r0
        mov     r0, 3
        out     0x1f3, r0
        mov     r0, 0x30
        out     0x1f7, r0
        mov     r3, 256
wr:     mov     r0, r3
        mul     r0, 0x01010101
        out     0x1f0, r0
        sub     r3, 1
        jnz     wr
        in      r1, 0x1f7
        call    mix
        mov     r0, 1
        out     0x1f2, r0
        mov     r0, 4
        out     0x1f3, r0
        mov     r0, 0x20
        out     0x1f7, r0
        in      r1, 0x1f7
        call    mix
        mov     r3, 128
rd:     in      r1, 0x1f0
        call    mix
        sub     r3, 1
        jnz     rd
        in      r1, 0x1f7
        call    mix
        ; a sector beyond the disk
        mov     r0, 9999
        out     0x1f3, r0
        mov     r0, 0x20
        out     0x1f7, r0
        in      r1, 0x1f7
        call    mix
        sti
        nop
        nop
        cli
        ld      r1, [disks]
        call    mix
        in      r1, 0x20
        call    mix

        ; the result
        mov     r1, r6
        call    show
        mov     r0, r6
        and     r0, 0x7f
        out     EXIT, r0

; mix: r6 = r6 * 31 + r1
mix:    mul     r6, 31
        add     r6, r1
        ret

        .include "lib/show.s"

timer:  push    r0
        push    r1
        ld      r0, [ticks]
        add     r0, 1
        st      [ticks], r0
        ld      r1, [sp + 12]           ; the interrupted flags
        st      [r4], r1
        add     r4, 4
        ld      r1, [sp + 8]            ; the interrupted pc
        st      [r4], r1
        add     r4, 4
        mov     r1, r0
        add     r1, 6
        out     0x40, r1               ; a longer period each tick
        mov     r1, 0x20
        out     0x20, r1
        pop     r1
        pop     r0
        iret

disk:   push    r0
        ld      r0, [disks]
        add     r0, 1
        st      [disks], r0
        mov     r0, 0x20
        out     0x20, r0
        pop     r0
        iret

generic: push   r0
        ld      r0, [sp + 4]
        st      [r4], r0
        add     r4, 4
        pop     r0
        iret

; user code at CPL 3 with IOPL 3: cli/sti/pushf/popf/in/out, then int 0x80
user:   pushf
        pop     r1
        cli
        pushf
        pop     r2
        add     r1, r2
        sti
        push    0x3000 | 0x8c1
        popf
        pushf
        pop     r2
        add     r1, r2
        in      r2, 0x3fd
        add     r1, r2
        mov     r2, cs
        add     r1, r2
        int     0x80

; sys: the syscall gate; records its frame then returns to `back` at CPL 0
sys:    ld      r2, [sp]
        add     r1, r2
        ld      r2, [sp + 4]
        add     r1, r2
        ld      r2, [sp + 8]
        add     r1, r2
        ld      r2, [sp + 12]
        add     r1, r2
        mov     sp, KSTACK
        jmp     back

sys2:   mov     r1, 0x5252
        iret

; user2: a privileged instruction at CPL 3 (#GP); the #GP handler faults on its own stack
user2:  mov     r1, 1
        hlt

gp:     ld      r0, [nested]
        cmp     r0, 0
        jz      gp_ok
        mov     r0, 0
        st      [nested], r0
        ld      r0, [gpseen]
        add     r0, 1
        st      [gpseen], r0
        mov     r0, 1
        out     0x3f8, r0
        ; fault again while handling: an absent gate (0x34 cleared below) by int from CPL 0
        mov     r0, 0
        st      [IDT + 0x34*8 + 4], r0
        int     0x34                   ; #GP(0x34*8+2) from the #GP handler: just another #GP
gp_ok:  ld      r0, [sp]               ; the error code
        st      [r4], r0
        add     r4, 4
        ld      r0, [gpseen]
        add     r0, 0x100
        st      [gpseen], r0
        ; now make the #GP gate absent and fault: #GP while delivering #GP is #DF
        mov     r0, 0
        st      [IDT + 13*8 + 4], r0
        ld      r0, [0x7ffffff0]       ; beyond RAM: #GP, whose gate is now absent: #DF
        jmp     back2

df:     ld      r0, [sp]
        st      [r4], r0
        add     r4, 4
        ld      r0, [dfseen]
        add     r0, 1
        st      [dfseen], r0
        mov     r0, 1
        st      [IDT + 13*8 + 4], r0
        mov     sp, KSTACK
        jmp     back2

ticks:  .word   0
disks:  .word   0
nested: .word   0
gpseen: .word   0
dfseen: .word   0
idtr:   .word   256*8 - 1, IDT
idtr2:  .word   256*8 - 1, IDT2
